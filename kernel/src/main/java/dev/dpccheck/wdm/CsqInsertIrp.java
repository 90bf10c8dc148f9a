package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.*;

/**
 * IO_CSQ_INSERT_IRP: puts an IRP on the driver's queue of a cancel-safe queue. The system calls it holding the queue's lock.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-io_csq_insert_irp
 */
@FunctionalInterface
public interface CsqInsertIrp {
    /**
     * The routine itself.
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    void CsqInsertIrp(IoCsq Csq, Irp Irp);
}
