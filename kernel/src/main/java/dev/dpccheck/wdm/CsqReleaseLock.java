package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.*;

/**
 * IO_CSQ_RELEASE_LOCK: releases the lock {@link CsqAcquireLock} acquired and returns to the IRQL it saved.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-io_csq_release_lock
 */
@FunctionalInterface
public interface CsqReleaseLock {
    /**
     * The routine itself.
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    void CsqReleaseLock(IoCsq Csq, int Irql);
}
