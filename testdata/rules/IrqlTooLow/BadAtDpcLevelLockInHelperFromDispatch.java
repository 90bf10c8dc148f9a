package rules.irqltoolow.badatdpclevellockinhelperfromdispatch;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** A helper takes a spin lock with the AtDpcLevel variant; one caller runs at PASSIVE_LEVEL. */
final class BadAtDpcLevelLockInHelperFromDispatch {
    final KSpinLock lock = new KSpinLock();
    int count;

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Count();
    }

    @Role(DriverDispatch.class)
    int DispatchRead(DeviceObject DeviceObject, Irp Irp) {
        Count(); // expect: IrqlTooLow
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private void Count() {
        KeAcquireSpinLockAtDpcLevel(lock);
        count++;
        KeReleaseSpinLockFromDpcLevel(lock);
    }
}
