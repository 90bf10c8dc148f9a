package rules.doublecompletion.goodcurrentirpthroughownfield;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * StartIo keeps the IRP it starts in the extension as well, for the abort helper. When the drive
 * timed out, the DPC hands the request back through that helper and returns; otherwise it
 * completes DeviceObject.CurrentIrp, the same IRP reached another way. Each path completes it once.
 */
final class GoodCurrentIrpThroughOwnField {
    static final class Drive {
        Irp Active;
        boolean TimedOut;
        int BytesDone;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Drive drive = (Drive) DeviceObject.DeviceExtension;
        drive.Active = Irp;
        drive.BytesDone = 0;
        drive.TimedOut = false;
    }

    @Role(IoDpcRoutine.class)
    void Dpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Drive drive = (Drive) DeviceObject.DeviceExtension;
        Irp current = DeviceObject.CurrentIrp;
        if (current == null) {
            return;
        }
        if (drive.TimedOut) {
            Abort(drive, STATUS_IO_TIMEOUT);
            IoStartNextPacket(DeviceObject, false);
            return;
        }
        current.IoStatus.Status = STATUS_SUCCESS;
        current.IoStatus.Information = drive.BytesDone;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(current, IO_DISK_INCREMENT);
    }

    private void Abort(Drive drive, int status) {
        Irp active = drive.Active;
        drive.Active = null;
        active.IoStatus.Status = status;
        active.IoStatus.Information = 0;
        IoCompleteRequest(active, IO_DISK_INCREMENT);
    }
}
