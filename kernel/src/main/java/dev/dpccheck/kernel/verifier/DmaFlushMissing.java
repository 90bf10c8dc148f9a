package dev.dpccheck.kernel.verifier;

/** A DMA transfer that is never ended with FlushAdapterBuffers. */
public final class DmaFlushMissing extends Monitor {
    public DmaFlushMissing() {
        super("DmaFlushMissing", Component.HAL_DMA,
                "map register mappings per adapter: a transfer mapped, or map registers freed, or the IRP completed, while a transfer is still not flushed with FlushAdapterBuffers");
    }

    public void mappedBeforeFlush() {
        report("'MapTransfer' starts the next transfer before 'FlushAdapterBuffers' ended the previous one.");
    }

    public void freedBeforeFlush(String routine) {
        report(q(routine) + " frees map registers holding a transfer that 'FlushAdapterBuffers' did not end.");
    }

    public void completedBeforeFlush() {
        report("The IRP is completed before 'FlushAdapterBuffers' ended its last transfer.");
    }
}
