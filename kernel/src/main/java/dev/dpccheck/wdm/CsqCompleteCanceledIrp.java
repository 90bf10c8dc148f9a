package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.*;

/**
 * IO_CSQ_COMPLETE_CANCELED_IRP: completes an IRP the system took off the queue because it was cancelled, with STATUS_CANCELLED.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-io_csq_complete_canceled_irp
 */
@FunctionalInterface
public interface CsqCompleteCanceledIrp {
    /**
     * The routine itself.
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    void CsqCompleteCanceledIrp(IoCsq Csq, Irp Irp);
}
