package rules.startnextpackettooearly.badcurrentirpafterstartnextinhelper;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** A helper called after IoStartNextPacket reads DeviceObject.CurrentIrp, which is the next IRP by then. */
final class BadCurrentIrpAfterStartNextInHelper {
    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        IoStartNextPacket(DeviceObject, false); // expect: StartNextPacketTooEarly
        Finish(DeviceObject);
    }

    private void Finish(DeviceObject DeviceObject) {
        Irp irp = DeviceObject.CurrentIrp;
        irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
