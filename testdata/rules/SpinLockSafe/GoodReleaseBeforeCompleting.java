package rules.spinlocksafe.goodreleasebeforecompleting;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The lock protects only the bookkeeping; it is released before the IRP is completed. */
final class GoodReleaseBeforeCompleting {
    final KSpinLock QueueLock = new KSpinLock();
    int Done;

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeAcquireSpinLockAtDpcLevel(QueueLock);
        Done++;
        KeReleaseSpinLockFromDpcLevel(QueueLock);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
