package rules.doublecompletion.goodrejectedsixhelpersdown;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The same layers, where the reject helper six calls down completes the IRP and every layer says
 * so by returning false: the dispatch routine completes only the requests that were not rejected.
 */
final class GoodRejectedSixHelpersDown {
    static final class Extension {
        int BaudRate;
        int MaxBaudRate;
    }

    @Role(DriverDispatch.class)
    int DispatchDeviceControl(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        if (!HandleRequest(ext, Irp)) {
            return STATUS_INVALID_PARAMETER;
        }
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private static boolean HandleRequest(Extension ext, Irp irp) {
        IoStackLocation stack = IoGetCurrentIrpStackLocation(irp);
        return SetBaudRate(ext, irp, stack.Parameters.DeviceIoControl.InputBufferLength);
    }

    private static boolean SetBaudRate(Extension ext, Irp irp, int length) {
        return ParseBaudRate(ext, irp, length);
    }

    private static boolean ParseBaudRate(Extension ext, Irp irp, int length) {
        return CheckBaudRate(ext, irp, length * 2400);
    }

    private static boolean CheckBaudRate(Extension ext, Irp irp, int baud) {
        if (baud > ext.MaxBaudRate) {
            return RejectRequest(irp);
        }
        ext.BaudRate = baud;
        return true;
    }

    private static boolean RejectRequest(Irp irp) {
        CompleteWithStatus(irp, STATUS_INVALID_PARAMETER);
        return false;
    }

    private static void CompleteWithStatus(Irp irp, int status) {
        irp.IoStatus.Status = status;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
