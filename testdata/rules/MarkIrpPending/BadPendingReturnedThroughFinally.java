package rules.rules.markirppending.badpendingreturnedthroughfinally;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** STATUS_PENDING is returned from inside a try whose finally counts the request; the IRP was never marked. */
final class BadPendingReturnedThroughFinally {
    int Queued;

    @Role(DriverDispatch.class)
    int DispatchWrite(DeviceObject DeviceObject, Irp Irp) {
        try {
            IoStartPacket(DeviceObject, Irp, null, null);
            return STATUS_PENDING; // expect: MarkIrpPending
        } finally {
            Queued++;
        }
    }
}
