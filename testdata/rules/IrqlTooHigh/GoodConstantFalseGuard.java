package rules.irqltoohigh.goodconstantfalseguard;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** A debugging wait behind a compile-time constant that is false: dead code, never run. */
final class GoodConstantFalseGuard {
    static final boolean DEBUG_SLOW_DEVICE = false;
    final KEvent never = new KEvent();

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        if (DEBUG_SLOW_DEVICE) {
            KeWaitForSingleObject(never, Executive, KernelMode, false, -10_000L);
        }
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
