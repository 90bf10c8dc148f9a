package rules.doublecompletion.goodonearmofaconditionalcompletes;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** Each arm of the conditional completes the IRP; only one arm runs. */
final class GoodOneArmOfAConditionalCompletes {
    @Role(DriverDispatch.class)
    int DispatchRead(DeviceObject DeviceObject, Irp Irp) {
        int length = IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length;
        return length == 0 ? Finish(Irp, STATUS_SUCCESS) : Finish(Irp, STATUS_INVALID_DEVICE_REQUEST);
    }

    private static int Finish(Irp Irp, int status) {
        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }
}
