package rules.doublecompletion.goodretriedrecursivelythencompleted;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The recursive retry again, whose false already means "completed": the dispatch routine returns
 * without touching the IRP, and completes it itself only when the device took it.
 */
final class GoodRetriedRecursivelyThenCompleted {
    static final class Extension {
        int Status;
    }

    @Role(DriverDispatch.class)
    int DispatchWrite(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        if (!TryStart(ext, Irp, 3)) {
            return STATUS_IO_TIMEOUT;
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
            if (started) {
                irp.IoStatus.Information = 0;
            }
            return started;
        }
        return true;
    }
}
