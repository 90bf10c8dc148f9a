package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.DISPATCH_LEVEL;

/**
 * DRIVER_LIST_CONTROL: the AdapterListControl routine {@link DmaOperations#GetScatterGatherList}
 * calls once the scatter/gather list is built. Called at DISPATCH_LEVEL.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-driver_list_control
 */
@FunctionalInterface
public interface DriverListControl {
    /**
     * The routine itself.
     */
    @IrqlRequires(DISPATCH_LEVEL)
    void AdapterListControl(DeviceObject DeviceObject, Irp Irp, ScatterGatherList ScatterGather, Object Context);
}
