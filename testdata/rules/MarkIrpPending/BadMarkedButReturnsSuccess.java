package rules.markirppending.badmarkedbutreturnssuccess;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The IRP is marked pending and the routine returns STATUS_SUCCESS. */
final class BadMarkedButReturnsSuccess {
    @Role(DriverDispatch.class)
    int DispatchWrite(DeviceObject DeviceObject, Irp Irp) {
        IoMarkIrpPending(Irp);
        IoStartPacket(DeviceObject, Irp, null, null);
        return STATUS_SUCCESS; // expect: MarkIrpPending
    }
}
