package rules.dpcmissingstartnext.goodearlyreturnwhennoirp;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** A DPC that returns early when there is no current IRP, and starts the next packet otherwise. */
final class GoodEarlyReturnWhenNoIrp {
    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Irp irp = DeviceObject.CurrentIrp;
        if (irp == null) {
            return;
        }
        irp.IoStatus.Status = STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
