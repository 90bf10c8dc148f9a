package rules.startnextpackettooearly.goodlifetimestateafterstartnext;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** After IoStartNextPacket the DPC uses only its locals and device-lifetime state (the remove lock). */
final class GoodLifetimeStateAfterStartNext {
    static final class Ext {
        final IoRemoveLock RemoveLock = new IoRemoveLock();
        Irp CurrentRequest;
        int BytesDone;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Ext ext = (Ext) DeviceObject.DeviceExtension;
        ext.CurrentRequest = Irp;
        ext.BytesDone = 0;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Ext ext = (Ext) DeviceObject.DeviceExtension;
        Irp irp = ext.CurrentRequest;
        if (irp == null) {
            return;
        }
        irp.IoStatus.Status = STATUS_SUCCESS;
        irp.IoStatus.Information = ext.BytesDone;
        ext.CurrentRequest = null;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(irp, IO_NO_INCREMENT);
        IoReleaseRemoveLock(ext.RemoveLock, irp);
    }
}
