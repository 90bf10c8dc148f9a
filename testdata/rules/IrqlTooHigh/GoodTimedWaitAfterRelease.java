package rules.irqltoohigh.goodtimedwaitafterrelease;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A read that drains a ring the receive DPC fills, and waits for more between batches. It clears
 * the event under the ring's spin lock (the DPC sets it under the same lock after adding bytes),
 * releases the lock, and only then waits, with a timeout computed from the caller's interval, at
 * PASSIVE_LEVEL.
 */
final class GoodTimedWaitAfterRelease {
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
            KeReleaseSpinLock(port.RingLock, irql.value);
            int wait = KeWaitForSingleObject(port.NotEmpty, Executive, KernelMode, false, -10_000L * interval);
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
