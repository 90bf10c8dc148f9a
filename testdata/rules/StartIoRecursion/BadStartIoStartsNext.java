package rules.startiorecursion.badstartiostartsnext;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** StartIo rejects a bad request and starts the next one itself, without deferred StartIo. */
final class BadStartIoStartsNext {
    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        if (IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length == 0) {
            Irp.IoStatus.Status = STATUS_INVALID_PARAMETER;
            IoStartNextPacket(DeviceObject, false); // expect: StartIoRecursion
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
        }
    }
}
