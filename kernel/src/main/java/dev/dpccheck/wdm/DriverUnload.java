package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.*;

/**
 * DRIVER_UNLOAD: the Unload routine, set in {@code DriverObject.DriverUnload}. Called at
 * PASSIVE_LEVEL after every device is removed.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-driver_unload
 */
@FunctionalInterface
public interface DriverUnload {
    /**
     * The routine itself.
     */
    @IrqlRequires(PASSIVE_LEVEL)
    void Unload(DriverObject DriverObject);
}
