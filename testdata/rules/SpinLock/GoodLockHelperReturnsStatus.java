package rules.spinlock.goodlockhelperreturnsstatus;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A watchdog DPC that resets a hung adapter. The reset helper takes the send and receive locks; it
 * gives both back and returns a failure status of the driver's own when a reset is already
 * running, and otherwise returns success still holding the receive lock, which the DPC drains the
 * receive ring under and then releases. The DPC keeps the status in a local and stops on failure:
 * no path releases a lock it does not hold or returns holding one.
 */
final class GoodLockHelperReturnsStatus {
    static final int STATUS_RESET_IN_PROGRESS = 0xC00000B5;

    static final class Adapter {
        final KSpinLock SendLock = new KSpinLock();
        final KSpinLock ReceiveLock = new KSpinLock();
        boolean Resetting;
        int Resets;
        int Received;
    }

    @Role(KDeferredRoutine.class)
    void WatchDog(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Adapter adapter = (Adapter) DeferredContext;
        int status = Reset(adapter);
        if (!NT_SUCCESS(status)) {
            return;
        }
        adapter.Received = 0;
        KeReleaseSpinLockFromDpcLevel(adapter.ReceiveLock);
    }

    private int Reset(Adapter adapter) {
        KeAcquireSpinLockAtDpcLevel(adapter.SendLock);
        KeAcquireSpinLockAtDpcLevel(adapter.ReceiveLock);
        if (adapter.Resetting) {
            KeReleaseSpinLockFromDpcLevel(adapter.ReceiveLock);
            KeReleaseSpinLockFromDpcLevel(adapter.SendLock);
            return STATUS_RESET_IN_PROGRESS;
        }
        adapter.Resets++;
        KeReleaseSpinLockFromDpcLevel(adapter.SendLock);
        return STATUS_SUCCESS;
    }
}
