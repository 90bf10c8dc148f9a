package rules.startnextpackettooearly.badstartnextbeforereadingcount;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The DPC starts the next packet, then reads the byte count of the transfer that just ended. */
final class BadStartNextBeforeReadingCount {
    static final class Ext {
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
        IoStartNextPacket(DeviceObject, false); // expect: StartNextPacketTooEarly
        irp.IoStatus.Status = STATUS_SUCCESS;
        irp.IoStatus.Information = ext.BytesDone;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
