package rules.rules.irpusedaftercompletion.goodvalidatorcompletesandreturnsstatus;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * Each dispatch routine hands the IRP to a validator that completes it when the request is bad and
 * returns the status it completed with; the caller returns that status at once when it is a
 * failure, and only touches the IRP again on the path where the validator returned success. A
 * second helper answers with a boolean: false means it completed the IRP.
 */
final class GoodValidatorCompletesAndReturnsStatus {
    static final int MAX_TRANSFER = 0x10000;

    static final class Extension {
        IoRemoveLock RemoveLock = new IoRemoveLock();
        boolean Removed;
    }

    private int Validate(Extension ext, Irp irp, int length) {
        int status = length == 0 || length > MAX_TRANSFER ? STATUS_INVALID_PARAMETER
                : IoAcquireRemoveLock(ext.RemoveLock, irp);
        if (!NT_SUCCESS(status)) {
            irp.IoStatus.Status = status;
            irp.IoStatus.Information = 0;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
        }
        return status;
    }

    private boolean AcceptWhileStarted(Extension ext, Irp irp) {
        if (ext.Removed) {
            irp.IoStatus.Status = STATUS_DELETE_PENDING;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            return false;
        }
        return true;
    }

    @Role(DriverDispatch.class)
    int DispatchRead(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        int status = Validate(ext, Irp, IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        IoReleaseRemoveLock(ext.RemoveLock, Irp);
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int DispatchCreate(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        if (!AcceptWhileStarted(ext, Irp)) {
            return STATUS_DELETE_PENDING;
        }
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}
