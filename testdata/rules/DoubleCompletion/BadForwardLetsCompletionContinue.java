package rules.doublecompletion.badforwardletscompletioncontinue;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The close of the good sample with a completion routine that only signals the event and lets the
 * completion go on (it returns the driver's own name for STATUS_SUCCESS): the IRP is completed
 * when the driver below completes it, and the dispatch routine then reads it and completes it again.
 */
final class BadForwardLetsCompletionContinue {
    static final int STATUS_CONTINUE_COMPLETION = STATUS_SUCCESS;

    static final class Filter {
        DeviceObject Lower;
    }

    @Role(IoCompletionRoutine.class)
    int Reclaim(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_CONTINUE_COMPLETION;
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
        status = Irp.IoStatus.Status; // expect: IrpUsedAfterCompletion
        IoCompleteRequest(Irp, IO_NO_INCREMENT); // expect: DoubleCompletion
        return status;
    }
}
