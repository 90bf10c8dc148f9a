package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.*;

/**
 * DRIVER_CANCEL: a Cancel routine set with {@link Wdm#IoSetCancelRoutine}. Called at
 * DISPATCH_LEVEL holding the cancel spin lock.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-driver_cancel
 */
@FunctionalInterface
public interface DriverCancel {
    /**
     * The routine itself.
     */
    @IrqlRequires(DISPATCH_LEVEL)
    void Cancel(DeviceObject DeviceObject, Irp Irp);
}
