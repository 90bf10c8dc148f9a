package rules.rules.sharedcontextunsynchronized.goodinterruptspinlockandafterdisconnect;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** One routine takes the interrupt spin lock; the remove path writes only after disconnecting. */
final class GoodInterruptSpinLockAndAfterDisconnect {
    KInterrupt Interrupt;
    int Captured;

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        IoInitializeDpcRequest(Pdo, this::DpcForIsr);
        return STATUS_SUCCESS;
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        Captured = 1;
        IoRequestDpc((DeviceObject) ServiceContext, null, null);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        int old = KeAcquireInterruptSpinLock(Interrupt);
        int status = Captured;
        Captured = 0;
        KeReleaseInterruptSpinLock(Interrupt, old);
        Irp.IoStatus.Status = status == 1 ? STATUS_SUCCESS : STATUS_DEVICE_DATA_ERROR;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }

    @Role(DriverDispatch.class)
    int DispatchRemove(DeviceObject DeviceObject, Irp Irp) {
        IoDisconnectInterrupt(Interrupt);
        Captured = 0;
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}
