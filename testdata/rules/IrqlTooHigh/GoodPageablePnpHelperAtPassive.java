package rules.irqltoohigh.goodpageablepnphelperatpassive;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * Pageable PnP code that calls routines needing PASSIVE_LEVEL exactly: '@Pageable' says where the
 * code lives (it must not run at DISPATCH_LEVEL or above), not that it runs at APC_LEVEL; its
 * callers, PnP dispatch at PASSIVE_LEVEL, say where it runs.
 */
final class GoodPageablePnpHelperAtPassive {
    static final class FdoExtension {
        DeviceObject Lower;
        IoRemoveLock RemoveLock = new IoRemoveLock();
    }

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        FdoExtension fdo = (FdoExtension) DeviceObject.DeviceExtension;
        if (IoGetCurrentIrpStackLocation(Irp).MinorFunction == IRP_MN_REMOVE_DEVICE) {
            return Remove(DeviceObject, fdo, Irp);
        }
        IoSkipCurrentIrpStackLocation(Irp);
        return IoCallDriver(fdo.Lower, Irp);
    }

    @Pageable
    private int Remove(DeviceObject DeviceObject, FdoExtension fdo, Irp Irp) {
        IoReleaseRemoveLockAndWait(fdo.RemoveLock, Irp);
        IoSkipCurrentIrpStackLocation(Irp);
        int status = IoCallDriver(fdo.Lower, Irp);
        IoDetachDevice(fdo.Lower);
        IoDeleteDevice(DeviceObject);
        return status;
    }
}
