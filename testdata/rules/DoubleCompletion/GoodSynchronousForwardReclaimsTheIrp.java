package rules.doublecompletion.goodsynchronousforwardreclaimstheirp;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A filter that finishes a close below before it lets go of the port: it hands the IRP down with a
 * completion routine that signals an event and returns STATUS_MORE_PROCESSING_REQUIRED, waits,
 * reads the status the driver below left, and completes the IRP itself. The IRP came back to it.
 */
final class GoodSynchronousForwardReclaimsTheIrp {
    static final class Filter {
        DeviceObject Lower;
    }

    @Role(IoCompletionRoutine.class)
    int Reclaim(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    @Role(DriverDispatch.class)
    int DispatchClose(DeviceObject DeviceObject, Irp Irp) {
        Filter filter = (Filter) DeviceObject.DeviceExtension;
        KEvent done = new KEvent();
        KeInitializeEvent(done, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::Reclaim, done, true, true, true);
        int status = IoCallDriver(filter.Lower, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(done, Executive, KernelMode, false, null);
        }
        status = Irp.IoStatus.Status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }
}
