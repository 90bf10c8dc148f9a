package rules.markirppending.goodmarkandpendingtogether;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** Invalid requests complete at once; the others are marked pending, queued, and returned pending. */
final class GoodMarkAndPendingTogether {
    @Role(DriverDispatch.class)
    int DispatchRead(DeviceObject DeviceObject, Irp Irp) {
        if (IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length == 0) {
            Irp.IoStatus.Status = STATUS_INVALID_PARAMETER;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_INVALID_PARAMETER;
        }
        IoMarkIrpPending(Irp);
        IoStartPacket(DeviceObject, Irp, null, null);
        return STATUS_PENDING;
    }
}
