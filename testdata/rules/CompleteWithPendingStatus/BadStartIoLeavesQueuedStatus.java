package rules.rules.completewithpendingstatus.badstartioleavesqueuedstatus;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The dispatch routine decides through a status local: STATUS_PENDING means the request goes to
 * StartIo, and the status block says so until StartIo writes the final one. StartIo writes it only
 * for the control code it serves; any other request is completed still saying STATUS_PENDING.
 */
final class BadStartIoLeavesQueuedStatus {
    static final int IOCTL_SET = 0x10000;

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        // StartIo starts the next packet itself: the I/O manager defers the call
        IoSetStartIoAttributes(Pdo, true, false);
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int DispatchDeviceControl(DeviceObject DeviceObject, Irp Irp) {
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        if (stack.Parameters.DeviceIoControl.InputBufferLength < 4) {
            status = STATUS_INVALID_PARAMETER;
        } else {
            status = STATUS_PENDING;
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = 0;
        if (status == STATUS_PENDING) {
            IoMarkIrpPending(Irp);
            IoStartPacket(DeviceObject, Irp, null, null);
        } else {
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
        }
        return status;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        if (stack.Parameters.DeviceIoControl.IoControlCode == IOCTL_SET) {
            Irp.IoStatus.Status = STATUS_SUCCESS;
        }
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT); // expect: CompleteWithPendingStatus
    }
}
