package rules.doublecompletion.badcompletedinhelperandagain;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The error path completes the IRP through a helper and then falls through to the common completion. */
final class BadCompletedInHelperAndAgain {
    @Role(DriverDispatch.class)
    int DispatchWrite(DeviceObject DeviceObject, Irp Irp) {
        int status = STATUS_SUCCESS;
        if (IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length == 0) {
            status = Fail(Irp, STATUS_INVALID_PARAMETER);
        }
        Irp.IoStatus.Status = status; // expect: IrpUsedAfterCompletion
        IoCompleteRequest(Irp, IO_NO_INCREMENT); // expect: DoubleCompletion
        return status;
    }

    private static int Fail(Irp Irp, int status) {
        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }
}
