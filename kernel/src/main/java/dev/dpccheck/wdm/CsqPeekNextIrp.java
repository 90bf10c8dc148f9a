package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.*;

/**
 * IO_CSQ_PEEK_NEXT_IRP: returns the IRP after {@code Irp} (the first when it is null) that matches {@code PeekContext}, or null, without taking it off the queue. The system calls it holding the queue's lock.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-io_csq_peek_next_irp
 */
@FunctionalInterface
public interface CsqPeekNextIrp {
    /**
     * The routine itself.
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    Irp CsqPeekNextIrp(IoCsq Csq, Irp Irp, Object PeekContext);
}
