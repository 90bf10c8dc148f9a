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

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        IoInitializeDpcRequest(Pdo, this::DpcForIsr);
        return STATUS_SUCCESS;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
    }
}
