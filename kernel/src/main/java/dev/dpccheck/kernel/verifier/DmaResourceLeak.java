package dev.dpccheck.kernel.verifier;

/** An adapter channel or map registers that are not freed, or freed twice. */
public final class DmaResourceLeak extends Monitor {
    public DmaResourceLeak() {
        super("DmaResourceLeak", Component.HAL_DMA,
                "adapter channels and map registers per adapter and per request: the routine that completes a request while holding its channel, resources never freed at the end of a run or when it stalls, double frees, map registers used after their free");
    }

    public RuntimeException foreignBase(String routine) {
        return bugCheck(q(routine) + " is given a MapRegisterBase this adapter did not allocate.");
    }

    public void usedAfterFree() {
        report("'MapTransfer' uses map registers that were already freed.");
    }

    public void channelNotAllocated() {
        report("'FreeAdapterChannel' is called when the adapter channel is not allocated.");
    }

    public void mapRegistersFreedTwice() {
        report("'FreeMapRegisters' frees map registers that were already freed.");
    }

    public void listNotOutstanding() {
        report("'PutScatterGatherList' is given a list that is not outstanding.");
    }

    /** The routine that completed the channel's request returns with the channel still allocated. */
    public void completerReturns() {
        report("The routine returns holding the adapter channel for an IRP it completed.");
    }

    /** Reported at the call that asked for the channel, when known. */
    public void channelNeverFreed(String device, StackTraceElement allocatedAt) {
        reportAt(allocatedAt, "The adapter channel of '" + device + "'" + (allocatedAt == null ? "" : ", asked for here,")
                + " was never freed.");
    }

    public void mapRegistersNeverFreed(String device, StackTraceElement allocatedAt) {
        reportAt(allocatedAt, "Map registers of '" + device + "'" + (allocatedAt == null ? "" : ", asked for here,")
                + " were never freed.");
    }
}
