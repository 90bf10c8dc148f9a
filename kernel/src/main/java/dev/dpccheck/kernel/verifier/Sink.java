package dev.dpccheck.kernel.verifier;

/** Where monitors report: the kernel, which locates each violation in the driver's source and keeps it. */
public interface Sink {
    /**
     * Records a violation of {@code rule} at {@code at}, or, when {@code at} is null, in the code of
     * the routine the kernel called (the routine's own line, as a static finding is reported).
     */
    void report(String rule, String message, StackTraceElement at);

    /**
     * Records a violation at {@code at} that another context committed: {@code routine} and
     * {@code context} name it (the racing access a DataRace blames, made by the other side).
     */
    void reportAs(String rule, String message, StackTraceElement at, String routine, String context);

    /** Records a violation located in the driver frames of a stack seen from another thread. */
    void reportIn(String rule, String message, StackTraceElement[] stack);

    /** Records a violation of the whole run, which no driver line commits (a stall). */
    void reportRun(String rule, String message);

    /** Records a violation after which the machine cannot go on, and ends the schedule: never returns. */
    RuntimeException bugCheck(String rule, String message);
}
