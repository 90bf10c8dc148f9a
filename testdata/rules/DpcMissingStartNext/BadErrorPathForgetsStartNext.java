package rules.dpcmissingstartnext.baderrorpathforgetsstartnext;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The error path of the DPC completes the current IRP but does not start the next one. */
final class BadErrorPathForgetsStartNext {
    int Status;

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        if (Status != 0) {
            Irp.IoStatus.Status = STATUS_DEVICE_DATA_ERROR;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return; // expect: DpcMissingStartNext
        }
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
