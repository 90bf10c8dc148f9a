package dev.dpccheck.kernel.verifier;

import java.util.Objects;

/**
 * A runtime check of one rule: the kernel calls the monitor where the rule's event happens (a DDI
 * call, a routine's return, an IRP's completion, the end of a run), and the monitor decides and
 * words the violation. One subclass per rule id, all listed in {@link Catalog}.
 */
public abstract class Monitor {
    private final String id;
    private final Component component;
    private final String title;
    private final String observes;
    private Sink sink;

    /**
     * The monitor of a static rule, which gives the rule its title.
     *
     * @param id the static rule's id
     * @param component the component whose events it watches
     * @param observes what it watches at run time, in one sentence for the rule documentation
     */
    protected Monitor(String id, Component component, String observes) {
        this(id, component, null, observes);
    }

    /**
     * The monitor of a rule only the kernel checks.
     *
     * @param id the rule id
     * @param component the component whose events it watches
     * @param title the rule's title, one sentence saying what is wrong, as a static rule's title does
     *     (null for a static rule's monitor)
     * @param observes what it watches at run time, in one sentence for the rule documentation
     */
    protected Monitor(String id, Component component, String title, String observes) {
        this.id = id;
        this.component = component;
        this.title = title;
        this.observes = observes;
    }

    public final String id() {
        return id;
    }

    public final Component component() {
        return component;
    }

    /** The title of a rule only the kernel checks; null for a static rule's monitor (the static rule has it). */
    public final String title() {
        return title;
    }

    public final String observes() {
        return observes;
    }

    final void attach(Sink to) {
        this.sink = Objects.requireNonNull(to);
    }

    /** A violation in the code of the running routine. */
    protected final void report(String message) {
        sink.report(id, message, null);
    }

    /** A violation at a given driver line (the line the kernel recorded when the event began). */
    protected final void reportAt(StackTraceElement at, String message) {
        sink.report(id, message, at);
    }

    /** A violation at a driver line another context's code stands at, named as committed there. */
    protected final void reportAtFor(StackTraceElement at, String routine, String context, String message) {
        sink.reportAs(id, message, at, routine, context);
    }

    /** A violation located in the driver frames of {@code stack} (another thread's, seen from a watchdog). */
    protected final void reportIn(StackTraceElement[] stack, String message) {
        sink.reportIn(id, message, stack);
    }

    /** A violation of the whole run. */
    protected final void reportRun(String message) {
        sink.reportRun(id, message);
    }

    /** A violation that ends the schedule; throw what it returns (it throws itself). */
    protected final RuntimeException bugCheck(String message) {
        return sink.bugCheck(id, message);
    }

    /** Quotes a WDM name as messages do. */
    protected static String q(String name) {
        return "'" + name + "'";
    }

    /** The WDK name of an IRQL. */
    protected static String irql(int level) {
        return Irql.name(level);
    }
}
