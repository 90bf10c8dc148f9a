package rules.iostatusnotset.goodcompletesirpswhosestatuswassetwhenqueued;

import dev.dpccheck.wdm.*;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A network driver's send path sets each IRP's status when the frame goes on the wire and
 * queues it as done; the DPC completes the done IRPs from the list. Their status was set by
 * another routine: this path cannot see it, and does not need to.
 */
final class GoodCompletesIrpsWhoseStatusWasSetWhenQueued {
    static final class Adapter {
        final KSpinLock Lock = new KSpinLock();
        final ArrayDeque<Irp> Done = new ArrayDeque<>();
    }

    @Role(DriverDispatch.class)
    int DispatchWrite(DeviceObject DeviceObject, Irp Irp) {
        Adapter adapter = (Adapter) DeviceObject.DeviceExtension;
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
        IoMarkIrpPending(Irp);
        Out<Integer> old = new Out<>();
        KeAcquireSpinLock(adapter.Lock, old);
        adapter.Done.add(Irp);
        KeReleaseSpinLock(adapter.Lock, old.value);
        return STATUS_PENDING;
    }

    @Role(KDeferredRoutine.class)
    void SendDoneDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Adapter adapter = (Adapter) DeferredContext;
        List<Irp> done = new ArrayList<>();
        KeAcquireSpinLockAtDpcLevel(adapter.Lock);
        while (!adapter.Done.isEmpty()) {
            done.add(adapter.Done.poll());
        }
        KeReleaseSpinLockFromDpcLevel(adapter.Lock);
        for (Irp irp : done) {
            IoCompleteRequest(irp, IO_NO_INCREMENT);
        }
    }
}
