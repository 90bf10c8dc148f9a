package rules.irpusedaftercompletion.badsystembufferaftercompletion;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** Buffered data is copied out of the system buffer after the IRP was completed. */
final class BadSystemBufferAfterCompletion {
    byte[] lastReply = new byte[8];

    @Role(DriverDispatch.class)
    int DispatchDeviceControl(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 8;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        RtlCopyMemory(lastReply, 0, Irp.AssociatedIrp.SystemBuffer, 0, 8); // expect: IrpUsedAfterCompletion
        return STATUS_SUCCESS;
    }
}
