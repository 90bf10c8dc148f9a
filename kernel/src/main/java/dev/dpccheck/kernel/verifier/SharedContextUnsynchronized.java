package dev.dpccheck.kernel.verifier;

/** Data shared with the ISR touched without the interrupt spin lock. */
public final class SharedContextUnsynchronized extends Monitor {
    public SharedContextUnsynchronized() {
        super("SharedContextUnsynchronized", Component.KE,
                "every access to a field the ISR touches, from other routines, against the interrupt spin lock");
    }

    public void access(String routine, boolean write, String field, boolean isrWrote) {
        report(q(routine) + " " + (write ? "writes" : "reads") + " '" + field + "', which the ISR "
                + (isrWrote ? "writes" : "reads") + ", without holding the interrupt spin lock.");
    }
}
