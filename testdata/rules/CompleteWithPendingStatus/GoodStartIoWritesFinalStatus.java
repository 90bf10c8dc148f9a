package rules.rules.completewithpendingstatus.goodstartiowritesfinalstatus;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The dispatch routine of the bad sample, deciding through a status local and queuing what it
 * leaves pending; StartIo writes the final status on every path before it completes.
 */
final class GoodStartIoWritesFinalStatus {
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
        } else {
            Irp.IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
        }
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
