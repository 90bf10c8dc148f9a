package rules.irqltoohigh.badtimedwaitunderspinlock;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A read that drains a ring the receive DPC fills, and waits for more between batches. It clears
 * the event and starts to wait while it still holds the ring's spin lock, so that no byte can slip
 * in between: at DISPATCH_LEVEL, with a timeout computed from the caller's interval (never zero:
 * 100 ms when the caller set none), which only PASSIVE_LEVEL and APC_LEVEL callers may give.
 */
final class BadTimedWaitUnderSpinLock {
    static final class Port {
        final KSpinLock RingLock = new KSpinLock();
        final KEvent NotEmpty = new KEvent();
        int Count;
        int IntervalMs;
    }

    @Role(DriverDispatch.class)
    int Read(DeviceObject DeviceObject, Irp Irp) {
        Port port = (Port) DeviceObject.DeviceExtension;
        int wanted = IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length;
        int got = 0;
        while (got < wanted) {
            Out<Integer> irql = new Out<>();
            KeAcquireSpinLock(port.RingLock, irql);
            if (port.Count > 0) {
                got += port.Count;
                port.Count = 0;
                KeReleaseSpinLock(port.RingLock, irql.value);
                continue;
            }
            KeClearEvent(port.NotEmpty);
            int interval = port.IntervalMs != 0 ? port.IntervalMs : 100;
            int wait = KeWaitForSingleObject(port.NotEmpty, Executive, KernelMode, false, -10_000L * interval); // expect: IrqlTooHigh
            KeReleaseSpinLock(port.RingLock, irql.value);
            if (wait == STATUS_TIMEOUT) {
                break;
            }
        }
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = got;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}
