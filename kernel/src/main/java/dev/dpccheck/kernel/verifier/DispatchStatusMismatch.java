package dev.dpccheck.kernel.verifier;

/** A dispatch routine returns a status other than the one it completed the IRP with. */
public final class DispatchStatusMismatch extends Monitor {
    public DispatchStatusMismatch() {
        super("DispatchStatusMismatch", Component.IO,
                "A dispatch routine returns a status other than the one it completed the IRP with.",
                "the value a dispatch routine returns, against the status it completed the IRP with");
    }

    public void returned(int status, int finalStatus, StackTraceElement completedAt) {
        reportAt(completedAt, "The dispatch routine returned 0x" + Integer.toHexString(status)
                + " for an IRP it completed with 0x" + Integer.toHexString(finalStatus) + ".");
    }
}
