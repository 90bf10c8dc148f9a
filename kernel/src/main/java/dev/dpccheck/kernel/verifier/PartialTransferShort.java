package dev.dpccheck.kernel.verifier;

/** A read or write reported successful with fewer bytes than requested. */
public final class PartialTransferShort extends Monitor {
    public PartialTransferShort() {
        super("PartialTransferShort", Component.DEVICE,
                "A read or write completes with STATUS_SUCCESS after moving fewer bytes than asked.",
                "the byte count of every read and write completed with STATUS_SUCCESS, against the length requested");
    }

    /** Reported where the driver completed the request, in the routine and context that did. */
    public void completed(String request, long bytes, StackTraceElement completedAt, String routine, String context) {
        reportAtFor(completedAt, routine, context,
                "The " + request + " completed with 'STATUS_SUCCESS' after " + bytes + " bytes.");
    }
}
