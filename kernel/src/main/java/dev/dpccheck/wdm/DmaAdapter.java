package dev.dpccheck.wdm;

/**
 * DMA_ADAPTER: the adapter object {@link Wdm#IoGetDmaAdapter} returns. Drivers reach its
 * operations through {@link #DmaOperations}, as in C.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/ns-wdm-_dma_adapter
 */
public final class DmaAdapter {
    /** The version of the structure. */
    public int Version;
    /** The DMA operations of this adapter. */
    public DmaOperations DmaOperations;
}
