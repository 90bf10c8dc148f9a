package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.*;

/**
 * DRIVER_CONTROL: an AdapterControl or ControllerControl routine, called when the adapter channel
 * or controller the driver asked for is its. Called at DISPATCH_LEVEL; returns an
 * IO_ALLOCATION_ACTION ({@code KeepObject}, {@code DeallocateObject},
 * {@code DeallocateObjectKeepRegisters}).
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-driver_control
 */
@FunctionalInterface
public interface DriverControl {
    /**
     * The routine itself.
     */
    @IrqlRequires(DISPATCH_LEVEL)
    int Control(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context);
}
