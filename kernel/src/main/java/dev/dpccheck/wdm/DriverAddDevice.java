package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.*;

/**
 * DRIVER_ADD_DEVICE: the AddDevice routine, set in {@code DriverObject.DriverExtension.AddDevice}.
 * Called at PASSIVE_LEVEL once per device the PnP manager finds.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-driver_add_device
 */
@FunctionalInterface
public interface DriverAddDevice {
    /**
     * The routine itself.
     */
    @IrqlRequires(PASSIVE_LEVEL)
    int AddDevice(DriverObject DriverObject, DeviceObject PhysicalDeviceObject);
}
