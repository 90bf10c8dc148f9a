package rules.markirppending.badhelperreturnspendingunmarked;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.ArrayDeque;

/**
 * A notification driver's IOCTL dispatch. Which status it returns comes from helpers kept in a
 * local. The helper that parks a wait-for-event request returns STATUS_PENDING, but marks the
 * request pending only when it is the first waiter; a request queued behind another goes back
 * to the I/O manager pending and unmarked.
 */
final class BadHelperReturnsPendingUnmarked {
    static final int IOCTL_WAIT_FOR_EVENT = 0x222003;
    static final int IOCTL_GET_COUNT = 0x222007;
    static final int MAX_WAITERS = 8;

    static final class Extension {
        final ArrayDeque<Irp> Waiters = new ArrayDeque<>();
        final KSpinLock WaitLock = new KSpinLock();
        int Events;
    }

    @Role(DriverDispatch.class)
    int DispatchIoctl(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (stack.Parameters.DeviceIoControl.IoControlCode) {
            case IOCTL_WAIT_FOR_EVENT:
                status = ParkWaiter(ext, Irp);
                break;
            case IOCTL_GET_COUNT:
                status = STATUS_SUCCESS;
                Irp.IoStatus.Information = ext.Events;
                break;
            default:
                status = STATUS_INVALID_DEVICE_REQUEST;
                break;
        }
        if (status != STATUS_PENDING) {
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
        }
        return status; // expect: MarkIrpPending
    }

    /** Queues a wait request; fails it when too many are waiting. */
    private static int ParkWaiter(Extension ext, Irp irp) {
        Out<Integer> old = new Out<>();
        KeAcquireSpinLock(ext.WaitLock, old);
        if (ext.Waiters.size() >= MAX_WAITERS) {
            KeReleaseSpinLock(ext.WaitLock, old.value);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        if (ext.Waiters.isEmpty()) {
            IoMarkIrpPending(irp);
        }
        ext.Waiters.addLast(irp);
        KeReleaseSpinLock(ext.WaitLock, old.value);
        return STATUS_PENDING;
    }
}
