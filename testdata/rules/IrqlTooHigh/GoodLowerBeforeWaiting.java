package rules.irqltoohigh.goodlowerbeforewaiting;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The routine raises for a short update, lowers in a finally block, and only then waits. */
final class GoodLowerBeforeWaiting {
    final KEvent done = new KEvent();
    int generation;

    @Role(DriverDispatch.class)
    int DispatchControl(DeviceObject DeviceObject, Irp Irp) {
        Out<Integer> old = new Out<>();
        KeRaiseIrql(DISPATCH_LEVEL, old);
        try {
            generation++;
        } finally {
            KeLowerIrql(old.value);
        }
        KeWaitForSingleObject(done, Executive, KernelMode, false, null);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}
