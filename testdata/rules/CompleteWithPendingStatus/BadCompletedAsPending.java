package rules.completewithpendingstatus.badcompletedaspending;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The status the dispatch routine returns is copied into the IRP, STATUS_PENDING included. */
final class BadCompletedAsPending {
    @Role(DriverDispatch.class)
    int DispatchFlush(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_PENDING;
        IoCompleteRequest(Irp, IO_NO_INCREMENT); // expect: CompleteWithPendingStatus
        return STATUS_SUCCESS;
    }
}
