package rules.dpcnotregistered.badisrrequestsunregistereddpc;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The ISR queues a DpcForIsr that AddDevice never registered. */
final class BadIsrRequestsUnregisteredDpc {
    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        return STATUS_SUCCESS;
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        IoRequestDpc(fdo, fdo.CurrentIrp, null); // expect: DpcNotRegistered
        return true;
    }
}
