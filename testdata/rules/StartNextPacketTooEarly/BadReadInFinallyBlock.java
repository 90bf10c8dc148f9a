package rules.rules.startnextpackettooearly.badreadinfinallyblock;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The byte count is read in a finally block that runs after the next packet was started. */
final class BadReadInFinallyBlock {
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
        try {
            IoStartNextPacket(DeviceObject, false); // expect: StartNextPacketTooEarly
        } finally {
            irp.IoStatus.Information = ext.BytesDone;
        }
        irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
