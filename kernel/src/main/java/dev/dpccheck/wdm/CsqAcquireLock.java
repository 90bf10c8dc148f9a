package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.*;

/**
 * IO_CSQ_ACQUIRE_LOCK: acquires the lock that guards the driver's queue of a cancel-safe queue, saving the IRQL to restore in {@code Irql}. It returns holding the lock, as its contract says; {@link CsqReleaseLock} releases it.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-io_csq_acquire_lock
 */
@FunctionalInterface
public interface CsqAcquireLock {
    /**
     * The routine itself.
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    void CsqAcquireLock(IoCsq Csq, Out<Integer> Irql);
}
