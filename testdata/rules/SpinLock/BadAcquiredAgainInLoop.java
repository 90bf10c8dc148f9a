package rules.rules.spinlock.badacquiredagaininloop;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** On the path that continues the loop, the lock is still held when the next pass acquires it, and when the loop ends. */
final class BadAcquiredAgainInLoop {
    final KSpinLock Lock = new KSpinLock();
    int Pending;

    @Role(IoTimerRoutine.class)
    void IoTimer(DeviceObject DeviceObject, Object Context) {
        for (int i = 0; i < Pending; i++) {
            KeAcquireSpinLockAtDpcLevel(Lock); // expect: SpinLock
            if (i % 2 == 0) {
                continue;
            }
            KeReleaseSpinLockFromDpcLevel(Lock);
        }
    } // expect: SpinLock
}
