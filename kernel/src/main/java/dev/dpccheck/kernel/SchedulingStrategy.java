package dev.dpccheck.kernel;

/**
 * Makes every choice of a schedule: which enabled action runs next, which processor a DPC or a
 * thread goes to, whether the device injects a fault. The kernel asks it and records the answers,
 * so the same strategy state gives the same schedule.
 */
public interface SchedulingStrategy {
    /**
     * Chooses one of {@code n} options.
     *
     * @param n the number of options, at least 1
     * @param kind what the choice is about, for strategies that weigh kinds differently
     * @return an index in {@code [0, n)}
     */
    int choose(int n, ChoiceKind kind);

    /** What a choice is about. */
    enum ChoiceKind {
        /** Which enabled action (a processor's context, an interrupt, a device event) runs next. */
        ACTION,
        /** Which processor or thread something goes to. */
        PLACEMENT,
        /** A random value of the workload or of fault injection. */
        DATA
    }
}
