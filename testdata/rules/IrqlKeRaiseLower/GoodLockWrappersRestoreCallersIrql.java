package rules.irqlkeraiselower.goodlockwrappersrestorecallersirql;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * Lock wrappers: one raises (declared with its contract), the other restores the IRQL the caller
 * saved and passes in. The dispatch routine returns at the IRQL it was called at.
 */
final class GoodLockWrappersRestoreCallersIrql {
    final KSpinLock Lock = new KSpinLock();
    int Count;

    @Role(DriverDispatch.class)
    int DispatchCount(DeviceObject DeviceObject, Irp Irp) {
        Out<Integer> old = new Out<>();
        Lock(old);
        Count++;
        Unlock(old.value);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @IrqlRequiresMax(DISPATCH_LEVEL)
    private void Lock(Out<Integer> oldIrql) {
        KeAcquireSpinLock(Lock, oldIrql);
    }

    private void Unlock(int oldIrql) {
        KeReleaseSpinLock(Lock, oldIrql);
    }
}
