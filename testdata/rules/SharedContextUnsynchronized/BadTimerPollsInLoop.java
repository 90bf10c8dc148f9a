package rules.rules.sharedcontextunsynchronized.badtimerpollsinloop;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The IoTimer polls the ISR's pending flag in a loop, without the interrupt spin lock. */
final class BadTimerPollsInLoop {
    boolean Pending;

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        IoInitializeDpcRequest(Pdo, this::DpcForIsr);
        return STATUS_SUCCESS;
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        Pending = false;
        IoRequestDpc((DeviceObject) ServiceContext, null, null);
        return true;
    }

    @Role(IoTimerRoutine.class)
    void IoTimer(DeviceObject DeviceObject, Object Context) {
        for (int i = 0; i < 3; i++) {
            if (!Pending) { // expect: SharedContextUnsynchronized
                return;
            }
            KeStallExecutionProcessor(10);
        }
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
    }
}
