package rules.isrrequestdpcnotlast.badstatuswrittenafterrequest;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The ISR queues the DPC and then records the status the DPC reads. */
final class BadStatusWrittenAfterRequest {
    int Captured;

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        IoRequestDpc(fdo, fdo.CurrentIrp, null);
        Captured = 1; // expect: IsrRequestDpcNotLast
        return true;
    }
}
