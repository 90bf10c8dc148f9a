package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.*;

/**
 * IO_COMPLETION_ROUTINE: an IoCompletion routine set with {@link Wdm#IoSetCompletionRoutine}.
 * Called at DISPATCH_LEVEL or below; returns STATUS_MORE_PROCESSING_REQUIRED to stop completion.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-io_completion_routine
 */
@FunctionalInterface
public interface IoCompletionRoutine {
    /**
     * The routine itself.
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    int IoCompletion(DeviceObject DeviceObject, Irp Irp, Object Context);
}
