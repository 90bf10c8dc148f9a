package rules.spinlocksafe.badcompleteunderqueuelock;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The DPC completes the IRP while it still holds the queue lock. */
final class BadCompleteUnderQueueLock {
    final KSpinLock QueueLock = new KSpinLock();

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeAcquireSpinLockAtDpcLevel(QueueLock);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false); // expect: SpinLockSafe
        IoCompleteRequest(Irp, IO_NO_INCREMENT); // expect: SpinLockSafe
        KeReleaseSpinLockFromDpcLevel(QueueLock);
    }
}
