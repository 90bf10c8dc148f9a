package rules.pioflushmissing.goodflushbeforecompleting;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The same copy, flushed with KeFlushIoBuffers before the read is completed. */
final class GoodFlushBeforeCompleting {
    KInterrupt Interrupt;
    long Port;

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        byte[] buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority);
        KeSynchronizeExecution(Interrupt, context -> {
            buffer[0] = READ_PORT_UCHAR(Port);
            return true;
        }, null);
        KeFlushIoBuffers(Irp.MdlAddress, true, false);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 1;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
