package rules.irpusedaftercompletion.badstacklocationreadafterforward;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A PnP routine that passes a stop or a remove down and only then asks its stack location which
 * of the two it was: the stack location goes with the IRP, which the driver below may have
 * completed and freed by then. A cleanup that completes the IRP and falls through into the
 * pass-down hands a completed IRP to the driver below.
 */
final class BadStackLocationReadAfterForward {
    static final class Extension {
        DeviceObject Lower;
        boolean Started;
    }

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        if (stack.MinorFunction == IRP_MN_STOP_DEVICE || stack.MinorFunction == IRP_MN_REMOVE_DEVICE) {
            ext.Started = false;
            IoSkipCurrentIrpStackLocation(Irp);
            int status = IoCallDriver(ext.Lower, Irp);
            if (stack.MinorFunction == IRP_MN_REMOVE_DEVICE) { // expect: IrpUsedAfterCompletion
                IoDetachDevice(ext.Lower);
            }
            return status;
        }
        IoSkipCurrentIrpStackLocation(Irp);
        return IoCallDriver(ext.Lower, Irp);
    }

    @Role(DriverDispatch.class)
    int DispatchCleanup(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        IoSkipCurrentIrpStackLocation(Irp); // expect: IrpUsedAfterCompletion
        return IoCallDriver(ext.Lower, Irp); // expect: IrpUsedAfterCompletion
    }
}
