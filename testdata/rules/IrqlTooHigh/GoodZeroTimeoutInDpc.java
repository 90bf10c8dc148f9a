package rules.irqltoohigh.goodzerotimeoutindpc;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** A zero timeout only tests the event's state, which is allowed at DISPATCH_LEVEL. */
final class GoodZeroTimeoutInDpc {
    final KEvent cancelled = new KEvent();

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        int wait = KeWaitForSingleObject(cancelled, Executive, KernelMode, false, 0L);
        Irp.IoStatus.Status = wait == STATUS_SUCCESS ? STATUS_CANCELLED : STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
