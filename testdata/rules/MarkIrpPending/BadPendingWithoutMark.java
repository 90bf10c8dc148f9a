package rules.markirppending.badpendingwithoutmark;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The IRP is queued and STATUS_PENDING returned, but it was never marked pending. */
final class BadPendingWithoutMark {
    @Role(DriverDispatch.class)
    int DispatchRead(DeviceObject DeviceObject, Irp Irp) {
        IoStartPacket(DeviceObject, Irp, null, null);
        return STATUS_PENDING; // expect: MarkIrpPending
    }
}
