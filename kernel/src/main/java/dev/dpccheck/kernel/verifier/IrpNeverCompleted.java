package dev.dpccheck.kernel.verifier;

/** Requests the driver accepted and never completed. */
public final class IrpNeverCompleted extends Monitor {
    public IrpNeverCompleted() {
        super("IrpNeverCompleted", Component.IO,
                "An IRP is never completed.",
                "the IRPs outstanding when a run stalls or ends");
    }

    /**
     * {@code first}: the first of them, as traces label it ({@code Irp#251}); {@code lastTouch}: where
     * the driver last parked it (marked it pending, queued it), in words, or null.
     */
    public void outstanding(int count, String currentOf, String first, String lastTouch) {
        reportRun(count + " IRPs were never completed"
                + (currentOf != null ? ", among them the current IRP of '" + currentOf + "'" : "")
                + (lastTouch != null ? "; the driver last parked the first, " + first + ", with " + lastTouch : "") + ".");
    }
}
