package rules.irqldispatch.goodcancelspinlockaroundqueueing;

import dev.dpccheck.wdm.*;
import java.util.ArrayDeque;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A dispatch routine queues a read under the cancel spin lock: 'IoAcquireCancelSpinLock' raises
 * to DISPATCH_LEVEL, so 'IoReleaseCancelSpinLock', which needs exactly DISPATCH_LEVEL, is called
 * where it must be.
 */
final class GoodCancelSpinLockAroundQueueing {
    static final class Extension {
        final ArrayDeque<Irp> Reads = new ArrayDeque<>();
    }

    @Role(DriverDispatch.class)
    int DispatchRead(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        Out<Integer> old = new Out<>();
        IoAcquireCancelSpinLock(old);
        IoMarkIrpPending(Irp);
        ext.Reads.add(Irp);
        IoSetCancelRoutine(Irp, this::CancelRead);
        IoReleaseCancelSpinLock(old.value);
        return STATUS_PENDING;
    }

    @Role(DriverCancel.class)
    void CancelRead(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        ext.Reads.remove(Irp);
        IoReleaseCancelSpinLock(Irp.CancelIrql);
        Irp.IoStatus.Status = STATUS_CANCELLED;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
