package dev.dpccheck.kernel.verifier;

/** An IRP completed with STATUS_PENDING in its I/O status block. */
public final class CompleteWithPendingStatus extends Monitor {
    public CompleteWithPendingStatus() {
        super("CompleteWithPendingStatus", Component.IO,
                "every IoCompleteRequest, against the status the IRP carries");
    }

    public void completed() {
        report("The IRP is completed with 'STATUS_PENDING'.");
    }
}
