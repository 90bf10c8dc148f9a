package rules.rules.spinlock.goodcancelroutinereleasescancellock;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** A Cancel routine is entered holding the cancel spin lock; it releases it before completing the IRP. */
final class GoodCancelRoutineReleasesCancelLock {
    @Role(DriverCancel.class)
    void Cancel(DeviceObject DeviceObject, Irp Irp) {
        IoReleaseCancelSpinLock(Irp.CancelIrql);
        Irp.IoStatus.Status = STATUS_CANCELLED;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
