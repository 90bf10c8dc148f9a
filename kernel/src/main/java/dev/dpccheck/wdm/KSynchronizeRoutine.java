package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.*;

/**
 * KSYNCHRONIZE_ROUTINE: a SynchCritSection routine run by {@link Wdm#KeSynchronizeExecution} at
 * the interrupt's SynchronizeIrql, holding the interrupt spin lock.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-ksynchronize_routine
 */
@FunctionalInterface
public interface KSynchronizeRoutine {
    /**
     * The routine itself.
     */
    @IrqlRequiresMin(DIRQL_MIN)
    boolean SynchCritSection(Object SynchronizeContext);
}
