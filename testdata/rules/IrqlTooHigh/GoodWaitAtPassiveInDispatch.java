package rules.irqltoohigh.goodwaitatpassiveindispatch;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** A dispatch routine forwards a PnP IRP and waits for it: at PASSIVE_LEVEL, a wait is fine. */
final class GoodWaitAtPassiveInDispatch {
    DeviceObject LowerDevice;

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::Done, event, true, true, true);
        int status = IoCallDriver(LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(event, Executive, KernelMode, false, null);
            status = Irp.IoStatus.Status;
        }
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    @Role(IoCompletionRoutine.class)
    int Done(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }
}
