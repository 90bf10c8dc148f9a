package rules.rules.doublecompletion.badcompletedintryandfinally;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The IRP is completed in the try block, and again in the finally block that was meant for errors. */
final class BadCompletedInTryAndFinally {
    @Role(DriverDispatch.class)
    int DispatchClose(DeviceObject DeviceObject, Irp Irp) {
        try {
            Irp.IoStatus.Status = STATUS_SUCCESS;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
        } finally {
            IoCompleteRequest(Irp, IO_NO_INCREMENT); // expect: DoubleCompletion
        }
        return STATUS_SUCCESS;
    }
}
