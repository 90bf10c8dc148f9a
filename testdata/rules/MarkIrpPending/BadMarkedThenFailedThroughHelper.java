package rules.markirppending.badmarkedthenfailedthroughhelper;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.ArrayDeque;

/**
 * A card-slot driver queues insertion-notification requests. It marks the request pending first,
 * then checks whether it was cancelled meanwhile; if so it fails it through a helper that
 * completes the IRP with the status it is handed and returns that status, which the dispatch
 * routine returns: a request marked pending comes back with STATUS_CANCELLED.
 */
final class BadMarkedThenFailedThroughHelper {
    static final class SlotExtension {
        final ArrayDeque<Irp> Waiters = new ArrayDeque<>();
    }

    @Role(DriverDispatch.class)
    int DispatchDeviceControl(DeviceObject DeviceObject, Irp Irp) {
        SlotExtension slot = (SlotExtension) DeviceObject.DeviceExtension;
        IoMarkIrpPending(Irp);
        Out<Integer> old = new Out<>();
        IoAcquireCancelSpinLock(old);
        if (Irp.Cancel) {
            IoReleaseCancelSpinLock(old.value);
            return CompleteNow(Irp, STATUS_CANCELLED); // expect: MarkIrpPending
        }
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
