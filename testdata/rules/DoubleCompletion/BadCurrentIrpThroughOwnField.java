package rules.doublecompletion.badcurrentirpthroughownfield;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * StartIo keeps the IRP it starts in the extension as well, for the abort helper. When the drive
 * timed out, the DPC hands the request back through that helper, which completes the IRP the
 * extension holds, and then goes on to complete DeviceObject.CurrentIrp: the same IRP, reached
 * another way.
 */
final class BadCurrentIrpThroughOwnField {
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
        }
        current.IoStatus.Status = drive.TimedOut ? STATUS_IO_TIMEOUT : STATUS_SUCCESS; // expect: IrpUsedAfterCompletion
        current.IoStatus.Information = drive.BytesDone; // expect: IrpUsedAfterCompletion
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(current, IO_DISK_INCREMENT); // expect: DoubleCompletion
    }

    private void Abort(Drive drive, int status) {
        Irp active = drive.Active;
        active.IoStatus.Status = status;
        active.IoStatus.Information = 0;
        IoCompleteRequest(active, IO_DISK_INCREMENT);
    }
}
