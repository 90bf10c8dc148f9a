package rules.doublecompletion.badretriedrecursivelythencompleted;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A retry written as recursion: the helper tries the device, calls itself with one retry fewer when
 * the device is busy, and when none is left completes the IRP with a timeout and returns false. The
 * level above clears the IRP's information on that false, and the dispatch routine completes the
 * IRP again.
 */
final class BadRetriedRecursivelyThenCompleted {
    static final class Extension {
        int Status;
    }

    @Role(DriverDispatch.class)
    int DispatchWrite(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        if (!TryStart(ext, Irp, 3)) { // expect: IrpUsedAfterCompletion
            Irp.IoStatus.Status = STATUS_DEVICE_BUSY; // expect: IrpUsedAfterCompletion
            IoCompleteRequest(Irp, IO_NO_INCREMENT); // expect: DoubleCompletion
            return STATUS_DEVICE_BUSY;
        }
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private static boolean TryStart(Extension ext, Irp irp, int retries) {
        if (retries == 0) {
            irp.IoStatus.Status = STATUS_IO_TIMEOUT;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            return false;
        }
        if ((ext.Status & 0x80) != 0) {
            boolean started = TryStart(ext, irp, retries - 1);
            if (!started) {
                // the retry that gave up has completed the IRP already
                irp.IoStatus.Information = 0;
            }
            return started;
        }
        return true;
    }
}
