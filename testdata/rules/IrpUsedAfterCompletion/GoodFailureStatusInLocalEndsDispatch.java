package rules.rules.irpusedaftercompletion.goodfailurestatusinlocalendsdispatch;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A filter's internal device control: the connect request is refused, and completed at once, when
 * a class driver is already connected; the refusal's status, a constant of the driver's own, stays
 * in a local. After the switch, a failed status completes what is not yet completed and returns;
 * everything else is passed down. The refused request reaches neither: its status is a failure,
 * so the later test returns before the pass-through, and a status known to fail does not complete
 * it twice either, because the driver guards the second completion with the request it refused.
 */
final class GoodFailureStatusInLocalEndsDispatch {
    static final int STATUS_SHARING_VIOLATION = 0xC0000043;
    static final int IOCTL_CONNECT = 0x0F0203;

    static final class Filter {
        DeviceObject Lower;
        Object ConnectedService;
    }

    @Role(DriverDispatch.class)
    int InternalIoctl(DeviceObject DeviceObject, Irp Irp) {
        Filter filter = (Filter) DeviceObject.DeviceExtension;
        int status = STATUS_SUCCESS;
        boolean completed = false;
        if (IoGetCurrentIrpStackLocation(Irp).Parameters.DeviceIoControl.IoControlCode == IOCTL_CONNECT) {
            if (filter.ConnectedService != null) {
                status = STATUS_SHARING_VIOLATION;
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                completed = true;
            } else {
                filter.ConnectedService = Irp.Tail.Overlay.DriverContext[0];
            }
        }
        if (!NT_SUCCESS(status)) {
            if (!completed) {
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
            }
            return status;
        }
        IoSkipCurrentIrpStackLocation(Irp);
        return IoCallDriver(filter.Lower, Irp);
    }
}
