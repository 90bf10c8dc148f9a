package rules.completewithpendingstatus.goodpendingreplacedbeforecompletion;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The write of the bad sample, which turns a status still STATUS_PENDING after the loop (a
 * zero-length write) into STATUS_SUCCESS before it completes the IRP.
 */
final class GoodPendingReplacedBeforeCompletion {
    long BaseAddress;

    @Role(DriverDispatch.class)
    int DispatchWrite(DeviceObject DeviceObject, Irp Irp) {
        byte[] buffer = Irp.AssociatedIrp.SystemBuffer;
        int length = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
        int written = 0;
        int status = buffer == null ? STATUS_INSUFFICIENT_RESOURCES : STATUS_PENDING;
        while (NT_SUCCESS(status) && written < length) {
            status = WriteByte(buffer[written]);
            if (NT_SUCCESS(status)) {
                written++;
            }
        }
        if (status == STATUS_PENDING) {
            status = STATUS_SUCCESS;
        }
        Irp.IoStatus.Information = written;
        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    private int WriteByte(byte b) {
        WRITE_PORT_UCHAR(BaseAddress, b);
        return (READ_PORT_UCHAR(BaseAddress + 1) & 0x80) != 0 ? STATUS_SUCCESS : STATUS_IO_TIMEOUT;
    }
}
