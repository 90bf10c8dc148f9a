package dev.dpccheck.wdm;

/**
 * IO_CSQ_IRP_CONTEXT: what {@link Wdm#IoCsqInsertIrp} ties to a queued IRP, so that
 * {@link Wdm#IoCsqRemoveIrp} can take that IRP off the queue unless it was cancelled meanwhile.
 * Opaque.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/ns-wdm-_io_csq_irp_context
 */
public final class IoCsqIrpContext {
    /** Storage the driver allocates. */
    public IoCsqIrpContext() {
    }
}
