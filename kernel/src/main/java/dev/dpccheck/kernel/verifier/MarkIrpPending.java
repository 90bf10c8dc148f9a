package dev.dpccheck.kernel.verifier;

/** IoMarkIrpPending and the STATUS_PENDING return disagree. */
public final class MarkIrpPending extends Monitor {
    public MarkIrpPending() {
        super("MarkIrpPending", Component.IO,
                "the value every dispatch routine returns, against its IoMarkIrpPending");
    }

    public void pendingUnmarked() {
        report("The dispatch routine returns 'STATUS_PENDING' without 'IoMarkIrpPending'.");
    }

    public void markedNotPending(int status) {
        report("The dispatch routine calls 'IoMarkIrpPending' and returns 0x" + Integer.toHexString(status)
                + " instead of 'STATUS_PENDING'.");
    }
}
