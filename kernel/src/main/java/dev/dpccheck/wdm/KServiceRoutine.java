package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.*;

/**
 * KSERVICE_ROUTINE: an InterruptService routine (ISR), connected with
 * {@link Wdm#IoConnectInterrupt}. Called at the interrupt's DIRQL holding its spin lock; returns
 * TRUE when its device caused the interrupt.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-kservice_routine
 */
@FunctionalInterface
public interface KServiceRoutine {
    /**
     * The routine itself.
     */
    @IrqlRequiresMin(DIRQL_MIN)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext);
}
