package rules.spinlock.badlockhelperfailsholding;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The watchdog DPC again, but the helper's failure path gives back only the send lock: the DPC
 * stops on the failure status and returns still holding the receive lock. Only that return holds
 * it; the success path releases it at the end.
 */
final class BadLockHelperFailsHolding {
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
            return; // expect: SpinLock
        }
        adapter.Received = 0;
        KeReleaseSpinLockFromDpcLevel(adapter.ReceiveLock);
    }

    private int Reset(Adapter adapter) {
        KeAcquireSpinLockAtDpcLevel(adapter.SendLock);
        KeAcquireSpinLockAtDpcLevel(adapter.ReceiveLock);
        if (adapter.Resetting) {
            KeReleaseSpinLockFromDpcLevel(adapter.SendLock);
            return STATUS_RESET_IN_PROGRESS;
        }
        adapter.Resets++;
        KeReleaseSpinLockFromDpcLevel(adapter.SendLock);
        return STATUS_SUCCESS;
    }
}
