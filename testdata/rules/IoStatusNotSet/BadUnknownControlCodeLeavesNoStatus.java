package rules.iostatusnotset.badunknowncontrolcodeleavesnostatus;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A device control routine sets the status on its success path only; the path for an unknown
 * control code completes the IRP with whatever 'IoStatus.Status' held.
 */
final class BadUnknownControlCodeLeavesNoStatus {
    static final class Extension {
        int Mode;
    }

    @Role(DriverDispatch.class)
    int DispatchDeviceControl(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status = STATUS_INVALID_DEVICE_REQUEST;
        if (stack.Parameters.DeviceIoControl.IoControlCode == 0x220004) {
            ext.Mode = 1;
            status = STATUS_SUCCESS;
            Irp.IoStatus.Status = status;
        }
        IoCompleteRequest(Irp, IO_NO_INCREMENT); // expect: IoStatusNotSet
        return status;
    }
}
