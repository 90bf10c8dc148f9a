package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.*;

/**
 * DRIVER_DISPATCH: a dispatch routine in {@code DriverObject.MajorFunction[]}. Called at
 * PASSIVE_LEVEL in the context of the requesting thread for the IRPs of this simulation.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-driver_dispatch
 */
@FunctionalInterface
public interface DriverDispatch {
    /**
     * The routine itself.
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    int Dispatch(DeviceObject DeviceObject, Irp Irp);
}
