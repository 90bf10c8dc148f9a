package rules.rules.irpusedaftercompletion.badinformationalstatusfallsthrough;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The filter's internal device control again, but the request it answers at once (a second connect
 * while one is connected) gets an informational status, which NT_SUCCESS counts as success: the
 * later test lets it through, and the completed request is passed down to the lower driver.
 */
final class BadInformationalStatusFallsThrough {
    static final int STATUS_ALREADY_CONNECTED = 0x40000007;
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
                status = STATUS_ALREADY_CONNECTED;
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
        IoSkipCurrentIrpStackLocation(Irp); // expect: IrpUsedAfterCompletion
        return IoCallDriver(filter.Lower, Irp); // expect: IrpUsedAfterCompletion
    }
}
