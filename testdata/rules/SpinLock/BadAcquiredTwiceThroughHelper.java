package rules.spinlock.badacquiredtwicethroughhelper;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** A helper takes the lock its caller already holds. */
final class BadAcquiredTwiceThroughHelper {
    final KSpinLock Lock = new KSpinLock();
    int Count;

    @Role(IoTimerRoutine.class)
    void IoTimer(DeviceObject DeviceObject, Object Context) {
        KeAcquireSpinLockAtDpcLevel(Lock);
        Bump(); // expect: SpinLock
        KeReleaseSpinLockFromDpcLevel(Lock);
    }

    private void Bump() {
        KeAcquireSpinLockAtDpcLevel(Lock);
        Count++;
        KeReleaseSpinLockFromDpcLevel(Lock);
    }
}
