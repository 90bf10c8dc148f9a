package rules.pioflushmissing.badpioreadinsynchcritsection;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The DPC copies received bytes into the read's buffer through its system address and completes without a flush. */
final class BadPioReadInSynchCritSection {
    KInterrupt Interrupt;
    long Port;

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        byte[] buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority);
        KeSynchronizeExecution(Interrupt, context -> {
            buffer[0] = READ_PORT_UCHAR(Port);
            return true;
        }, null);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 1;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT); // expect: PioFlushMissing
    }
}
