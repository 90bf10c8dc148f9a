package dev.dpccheck.kernel.verifier;

/** A DPC request that was merged into one already queued, so that its work was never done. */
public final class DpcCoalescingLoss extends Monitor {
    public DpcCoalescingLoss() {
        super("DpcCoalescingLoss", Component.KE,
                "A DPC request is lost: the DPC was already queued with other arguments.",
                "every DPC queue request that finds its DPC already queued with other arguments; reported when the run stalls or ends with requests outstanding, at the request that returned FALSE");
    }

    public void lost(String routine, String queuedWith, String requestedFor, StackTraceElement requestedAt) {
        reportAt(requestedAt, q(routine) + " was already queued with '" + queuedWith + "', so this request for '"
                + requestedFor + "' returned FALSE and the DPC never ran for it.");
    }
}
