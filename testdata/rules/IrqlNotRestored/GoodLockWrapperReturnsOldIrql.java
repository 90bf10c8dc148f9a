package rules.irqlnotrestored.goodlockwrapperreturnsoldirql;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A lock wrapper that returns the IRQL it saved, as many drivers write it, and the matching
 * release that takes it back: the dispatch routine returns at the IRQL it was called at.
 */
final class GoodLockWrapperReturnsOldIrql {
    static final class Extension {
        final KSpinLock Lock = new KSpinLock();
        int Opens;
    }

    private int Lock(Extension ext) {
        Out<Integer> old = new Out<>();
        KeAcquireSpinLock(ext.Lock, old);
        return old.value;
    }

    private void Unlock(Extension ext, int old) {
        KeReleaseSpinLock(ext.Lock, old);
    }

    @Role(DriverDispatch.class)
    int DispatchCreate(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        int old = Lock(ext);
        ext.Opens++;
        Unlock(ext, old);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}
