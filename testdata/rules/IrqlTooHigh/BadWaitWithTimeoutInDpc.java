package rules.irqltoohigh.badwaitwithtimeoutindpc;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** A DpcForIsr that waits with a timeout to let the device settle: a wait at DISPATCH_LEVEL. */
final class BadWaitWithTimeoutInDpc {
    final KEvent settled = new KEvent();

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        IoInitializeDpcRequest(Pdo, this::DpcForIsr);
        KeInitializeEvent(settled, NotificationEvent, false);
        return STATUS_SUCCESS;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeWaitForSingleObject(settled, Executive, KernelMode, false, -10_000L); // expect: IrqlTooHigh
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
