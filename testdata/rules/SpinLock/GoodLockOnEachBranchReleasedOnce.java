package rules.spinlock.goodlockoneachbranchreleasedonce;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The lock is acquired on each branch and released once after: every path holds it exactly once. */
final class GoodLockOnEachBranchReleasedOnce {
    final KSpinLock Lock = new KSpinLock();
    int Reads;
    int Writes;

    @Role(IoTimerRoutine.class)
    void IoTimer(DeviceObject DeviceObject, Object Context) {
        boolean read = Context != null;
        if (read) {
            KeAcquireSpinLockAtDpcLevel(Lock);
            Reads++;
        } else {
            KeAcquireSpinLockAtDpcLevel(Lock);
            Writes++;
        }
        KeReleaseSpinLockFromDpcLevel(Lock);
    }
}
