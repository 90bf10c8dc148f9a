package rules.iostatusnotset.goodstatusfromlowerdriver;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The status comes from the driver below, which completed the IRP synchronously. */
final class GoodStatusFromLowerDriver {
    DeviceObject Lower;

    @Role(DriverDispatch.class)
    int DispatchPower(DeviceObject DeviceObject, Irp Irp) {
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::Stop, null, true, true, true);
        int status = IoCallDriver(Lower, Irp);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    @Role(IoCompletionRoutine.class)
    int Stop(DeviceObject DeviceObject, Irp Irp, Object Context) {
        return STATUS_MORE_PROCESSING_REQUIRED;
    }
}
