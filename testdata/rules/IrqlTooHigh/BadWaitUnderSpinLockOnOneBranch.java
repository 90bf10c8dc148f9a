package rules.irqltoohigh.badwaitunderspinlockononebranch;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** On one branch only, a dispatch routine waits while it holds a spin lock (DISPATCH_LEVEL). */
final class BadWaitUnderSpinLockOnOneBranch {
    final KSpinLock lock = new KSpinLock();
    final KEvent idle = new KEvent();
    int pending;

    @Role(DriverDispatch.class)
    int DispatchFlush(DeviceObject DeviceObject, Irp Irp) {
        Out<Integer> old = new Out<>();
        KeAcquireSpinLock(lock, old);
        if (pending > 0) {
            KeWaitForSingleObject(idle, Executive, KernelMode, false, null); // expect: IrqlTooHigh
        }
        KeReleaseSpinLock(lock, old.value);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}
