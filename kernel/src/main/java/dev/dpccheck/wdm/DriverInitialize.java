package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.*;

/**
 * DRIVER_INITIALIZE: the signature of {@code DriverEntry}. Called at PASSIVE_LEVEL once, when the
 * driver is loaded.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-driver_initialize
 */
@FunctionalInterface
public interface DriverInitialize {
    /**
     * The routine itself.
     */
    @IrqlRequires(PASSIVE_LEVEL)
    int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath);
}
