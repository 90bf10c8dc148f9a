package dev.dpccheck.kernel;

import dev.dpccheck.wdm.Kdpc;

/**
 * The kernel's state of one KDPC: its routine and whether, and where, it is queued. Queuing a DPC
 * that is already queued does nothing: there is no one-to-one correspondence between requests
 * and runs. See https://learn.microsoft.com/windows-hardware/drivers/kernel/introduction-to-dpc-objects
 */
final class DpcObject {
    /** How the DPC calls into the driver once dequeued. */
    interface Target {
        void run(DpcObject dpc, Object argument1, Object argument2);
    }

    final Kdpc handle;
    final Target target;
    final String routine;
    final Object deferredContext;
    /** Who runs, in options and traces: {@code DpcForIsr of dmadisk0}, {@code CustomDpc #3}. */
    final String identity;
    boolean queued;
    Object argument1;
    Object argument2;
    /** Requests made while it was already queued, for the coalescing monitor. */
    int coalesced;
    /**
     * Requests that found it queued with other arguments, so that their own arguments were dropped,
     * not yet followed by a run with those arguments: each its first and second argument and where
     * the driver made it (DpcCoalescingLoss when the run stalls with them).
     */
    final java.util.List<Object[]> lost = new java.util.ArrayList<>();

    DpcObject(Kdpc handle, Target target, String routine, Object deferredContext, String identity) {
        this.identity = identity;
        this.handle = handle;
        this.target = target;
        this.routine = routine;
        this.deferredContext = deferredContext;
    }
}
