package rules.iostatusnotset.badstatussetononebranchonly;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** Only the error branch sets the status before the common completion. */
final class BadStatusSetOnOneBranchOnly {
    @Role(DriverDispatch.class)
    int DispatchCreate(DeviceObject DeviceObject, Irp Irp) {
        if (DeviceObject.DeviceExtension == null) {
            Irp.IoStatus.Status = STATUS_DEVICE_NOT_READY;
        }
        IoCompleteRequest(Irp, IO_NO_INCREMENT); // expect: IoStatusNotSet
        return STATUS_SUCCESS;
    }
}
