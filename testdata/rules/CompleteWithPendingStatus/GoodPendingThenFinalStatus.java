package rules.completewithpendingstatus.goodpendingthenfinalstatus;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The IRP is marked pending while queued, and gets its final status before completion. */
final class GoodPendingThenFinalStatus {
    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Irp.IoStatus.Status = STATUS_PENDING;
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
