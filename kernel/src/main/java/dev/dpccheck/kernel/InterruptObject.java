package dev.dpccheck.kernel;

import dev.dpccheck.kernel.hw.SimDevice;
import dev.dpccheck.wdm.KInterrupt;
import dev.dpccheck.wdm.KServiceRoutine;

/**
 * A connected interrupt: the ISR, the device whose line it serves, its DIRQL and SynchronizeIrql,
 * and its spin lock. It is delivered to a processor only when that processor's IRQL is below the
 * DIRQL and no processor holds the spin lock.
 * See https://learn.microsoft.com/windows-hardware/drivers/kernel/introduction-to-interrupt-objects
 */
final class InterruptObject {
    final KInterrupt handle;
    final KServiceRoutine isr;
    final Object serviceContext;
    final SimDevice device;
    final int irql;
    final int synchronizeIrql;
    final long affinity;
    final SpinLockObject lock;
    boolean connected = true;
    /** The ISR in options and traces: {@code ISR of dmadisk0}. */
    final String identity;

    InterruptObject(KInterrupt handle, KServiceRoutine isr, Object serviceContext, SimDevice device, int irql,
            int synchronizeIrql, long affinity, SpinLockObject lock) {
        this.handle = handle;
        this.isr = isr;
        this.serviceContext = serviceContext;
        this.device = device;
        this.irql = irql;
        this.synchronizeIrql = synchronizeIrql;
        this.affinity = affinity;
        this.lock = lock;
        this.identity = "ISR of " + device.name();
    }

    boolean deliverableTo(Processor cpu) {
        return connected && device.interruptAsserted() && lock.owner == null && cpu.irql < irql
                && (affinity & (1L << cpu.number)) != 0;
    }
}
