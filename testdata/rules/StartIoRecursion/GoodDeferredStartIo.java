package rules.startiorecursion.gooddeferredstartio;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** With deferred StartIo set in AddDevice, StartIo may start the next packet: the I/O manager defers the call. */
final class GoodDeferredStartIo {
    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        IoSetStartIoAttributes(Pdo, true, false);
        return STATUS_SUCCESS;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        if (IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length == 0) {
            Irp.IoStatus.Status = STATUS_INVALID_PARAMETER;
            IoStartNextPacket(DeviceObject, false);
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
        }
    }
}
