package rules.doublecompletion.badrejectedsixhelpersdown;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A serial port's IOCTL path in layers, as drivers with one handler per request grow them: the
 * dispatch routine hands the IRP to a request handler, which parses, then validates the baud rate,
 * and a reject helper two calls further down completes the IRP with the error. The dispatch
 * routine takes the returned status for "not completed yet" and completes the IRP a second time.
 */
final class BadRejectedSixHelpersDown {
    static final class Extension {
        int BaudRate;
        int MaxBaudRate;
    }

    @Role(DriverDispatch.class)
    int DispatchDeviceControl(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        int status = HandleRequest(ext, Irp);
        Irp.IoStatus.Status = status; // expect: IrpUsedAfterCompletion
        IoCompleteRequest(Irp, IO_NO_INCREMENT); // expect: DoubleCompletion
        return status;
    }

    private static int HandleRequest(Extension ext, Irp irp) {
        IoStackLocation stack = IoGetCurrentIrpStackLocation(irp);
        if (stack.Parameters.DeviceIoControl.IoControlCode == 0x1b0004) {
            return SetBaudRate(ext, irp, stack.Parameters.DeviceIoControl.InputBufferLength);
        }
        return STATUS_INVALID_DEVICE_REQUEST;
    }

    private static int SetBaudRate(Extension ext, Irp irp, int length) {
        int baud = ParseBaudRate(ext, irp, length);
        if (baud == 0) {
            return STATUS_INVALID_PARAMETER;
        }
        ext.BaudRate = baud;
        return STATUS_SUCCESS;
    }

    private static int ParseBaudRate(Extension ext, Irp irp, int length) {
        if (length < 4) {
            return 0;
        }
        return CheckBaudRate(ext, irp, 9600);
    }

    private static int CheckBaudRate(Extension ext, Irp irp, int baud) {
        if (baud > ext.MaxBaudRate) {
            return RejectRequest(irp);
        }
        return baud;
    }

    private static int RejectRequest(Irp irp) {
        CompleteWithStatus(irp, STATUS_INVALID_PARAMETER);
        return 0;
    }

    private static void CompleteWithStatus(Irp irp, int status) {
        irp.IoStatus.Status = status;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
