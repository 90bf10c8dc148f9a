package rules.markirppending.goodwaiterrecordmarkedinhelper;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.ArrayList;
import java.util.List;

/**
 * A thermal sensor's "wait for threshold" IOCTL: the dispatch routine wraps the IRP in a waiter
 * record and hands the record to a helper that parks it, marking the waiter's IRP pending and
 * returning STATUS_PENDING, or refuses it when too many wait. The IRP the helper marks is the
 * routine's own, reached through the record.
 */
final class GoodWaiterRecordMarkedInHelper {
    static final int MAX_WAITERS = 4;

    static final class Waiter {
        Irp Irp;
        int Threshold;
    }

    static final class SensorExtension {
        final KSpinLock WaitLock = new KSpinLock();
        final List<Waiter> Waiters = new ArrayList<>();
    }

    @Role(DriverDispatch.class)
    int DispatchDeviceControl(DeviceObject DeviceObject, Irp Irp) {
        SensorExtension sensor = (SensorExtension) DeviceObject.DeviceExtension;
        byte[] buffer = Irp.AssociatedIrp.SystemBuffer;
        Waiter waiter = new Waiter();
        waiter.Irp = Irp;
        waiter.Threshold = buffer[0] & 0xff;
        int status = Park(sensor, waiter);
        if (status == STATUS_PENDING) {
            return status;
        }
        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    private static int Park(SensorExtension sensor, Waiter waiter) {
        Out<Integer> old = new Out<>();
        KeAcquireSpinLock(sensor.WaitLock, old);
        if (sensor.Waiters.size() >= MAX_WAITERS) {
            KeReleaseSpinLock(sensor.WaitLock, old.value);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        IoMarkIrpPending(waiter.Irp);
        sensor.Waiters.add(waiter);
        KeReleaseSpinLock(sensor.WaitLock, old.value);
        return STATUS_PENDING;
    }
}
