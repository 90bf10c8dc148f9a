package rules.doublecompletion.goodcompletedoneachbranchonce;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** Each branch completes the IRP exactly once, and the flag correlates the later check. */
final class GoodCompletedOnEachBranchOnce {
    @Role(DriverDispatch.class)
    int DispatchRead(DeviceObject DeviceObject, Irp Irp) {
        boolean done = IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length == 0;
        if (done) {
            Irp.IoStatus.Status = STATUS_SUCCESS;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
        }
        if (!done) {
            Irp.IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
        }
        return STATUS_SUCCESS;
    }
}
