package rules.markirppending.goodfailedthroughhelperbeforemarking;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.ArrayDeque;

/**
 * A card-slot driver queues insertion-notification requests. It checks first whether the request
 * was cancelled and fails it through a helper that completes the IRP with the status it is handed
 * and returns it; only a request it queues is marked pending, and only then is STATUS_PENDING
 * returned.
 */
final class GoodFailedThroughHelperBeforeMarking {
    static final class SlotExtension {
        final ArrayDeque<Irp> Waiters = new ArrayDeque<>();
    }

    @Role(DriverDispatch.class)
    int DispatchDeviceControl(DeviceObject DeviceObject, Irp Irp) {
        SlotExtension slot = (SlotExtension) DeviceObject.DeviceExtension;
        Out<Integer> old = new Out<>();
        IoAcquireCancelSpinLock(old);
        if (Irp.Cancel) {
            IoReleaseCancelSpinLock(old.value);
            return CompleteNow(Irp, STATUS_CANCELLED);
        }
        IoMarkIrpPending(Irp);
        slot.Waiters.addLast(Irp);
        IoReleaseCancelSpinLock(old.value);
        return STATUS_PENDING;
    }

    /** Completes a request with {@code status} and returns it. */
    private static int CompleteNow(Irp irp, int status) {
        irp.IoStatus.Status = status;
        irp.IoStatus.Information = 0;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
        return status;
    }
}
