package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.*;

/**
 * KDEFERRED_ROUTINE: a CustomDpc or CustomTimerDpc routine, initialized with
 * {@link Wdm#KeInitializeDpc}. Called at DISPATCH_LEVEL.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-kdeferred_routine
 */
@FunctionalInterface
public interface KDeferredRoutine {
    /**
     * The routine itself.
     */
    @IrqlRequires(DISPATCH_LEVEL)
    void CustomDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2);
}
