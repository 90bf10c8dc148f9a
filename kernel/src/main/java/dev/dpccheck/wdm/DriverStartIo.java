package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.*;

/**
 * DRIVER_STARTIO: the StartIo routine, which starts the I/O operation for an IRP taken from the
 * device queue. Called at DISPATCH_LEVEL.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-driver_startio
 */
@FunctionalInterface
public interface DriverStartIo {
    /**
     * The routine itself.
     */
    @IrqlRequires(DISPATCH_LEVEL)
    void StartIo(DeviceObject DeviceObject, Irp Irp);
}
