package rules.completewithpendingstatus.badpendingchosenbyconditional;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A printer-port write that starts its status at STATUS_PENDING (a conditional picks it when the
 * buffer is there) and replaces it with each byte's result: a zero-length write never enters the
 * loop, and the IRP is completed with STATUS_PENDING.
 */
final class BadPendingChosenByConditional {
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
        Irp.IoStatus.Information = written;
        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT); // expect: CompleteWithPendingStatus
        return status; // expect: MarkIrpPending
    }

    private int WriteByte(byte b) {
        WRITE_PORT_UCHAR(BaseAddress, b);
        return (READ_PORT_UCHAR(BaseAddress + 1) & 0x80) != 0 ? STATUS_SUCCESS : STATUS_IO_TIMEOUT;
    }
}
