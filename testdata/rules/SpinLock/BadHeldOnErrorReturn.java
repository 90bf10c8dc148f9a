package rules.spinlock.badheldonerrorreturn;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The error path returns with the queue lock held. */
final class BadHeldOnErrorReturn {
    final KSpinLock QueueLock = new KSpinLock();
    int Queued;

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeAcquireSpinLockAtDpcLevel(QueueLock);
        if (Queued == 0) {
            return; // expect: SpinLock
        }
        Queued--;
        KeReleaseSpinLockFromDpcLevel(QueueLock);
    }
}
