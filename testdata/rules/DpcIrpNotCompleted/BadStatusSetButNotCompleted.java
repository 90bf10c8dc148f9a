package rules.dpcirpnotcompleted.badstatussetbutnotcompleted;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** On a device error the DPC records the status, then returns without completing the IRP or retrying. */
final class BadStatusSetButNotCompleted {
    int Error;

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        if (Error != 0) {
            Irp.IoStatus.Status = STATUS_DEVICE_DATA_ERROR;
            return; // expect: DpcIrpNotCompleted
        }
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
