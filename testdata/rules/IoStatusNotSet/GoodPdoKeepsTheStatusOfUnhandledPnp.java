package rules.iostatusnotset.goodpdokeepsthestatusofunhandledpnp;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A bus driver's child device object ends the PnP IRPs it does not handle with the status they
 * arrived with (the PnP manager sends them with 'STATUS_NOT_SUPPORTED' already set): it reads
 * 'IoStatus.Status' and passes it on, which is a decision, not a forgotten status.
 */
final class GoodPdoKeepsTheStatusOfUnhandledPnp {
    static final class PdoExtension {
        boolean Started;
    }

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        PdoExtension pdo = (PdoExtension) DeviceObject.DeviceExtension;
        int status = Irp.IoStatus.Status;
        switch (IoGetCurrentIrpStackLocation(Irp).MinorFunction) {
            case IRP_MN_START_DEVICE:
                pdo.Started = true;
                status = STATUS_SUCCESS;
                Irp.IoStatus.Status = status;
                break;
            default:
                break;
        }
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }
}
