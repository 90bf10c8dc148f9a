package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.*;

/**
 * IO_CSQ_REMOVE_IRP: takes an IRP off the driver's queue of a cancel-safe queue. The system calls it holding the queue's lock.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-io_csq_remove_irp
 */
@FunctionalInterface
public interface CsqRemoveIrp {
    /**
     * The routine itself.
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    void CsqRemoveIrp(IoCsq Csq, Irp Irp);
}
