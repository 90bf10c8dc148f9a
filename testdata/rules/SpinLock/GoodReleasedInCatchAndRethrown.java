package rules.rules.spinlock.goodreleasedincatchandrethrown;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The lock is released on the normal path and, if the update throws, in the catch before rethrowing. */
final class GoodReleasedInCatchAndRethrown {
    final KSpinLock Lock = new KSpinLock();
    int State;

    @Role(IoTimerRoutine.class)
    void IoTimer(DeviceObject DeviceObject, Object Context) {
        KeAcquireSpinLockAtDpcLevel(Lock);
        try {
            Update();
            KeReleaseSpinLockFromDpcLevel(Lock);
        } catch (RuntimeException e) {
            KeReleaseSpinLockFromDpcLevel(Lock);
            throw e;
        }
    }

    private void Update() {
        State = Math.addExact(State, 1);
    }
}
