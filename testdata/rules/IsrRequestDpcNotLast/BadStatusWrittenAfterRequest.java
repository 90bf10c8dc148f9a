package rules.isrrequestdpcnotlast.badstatuswrittenafterrequest;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The ISR queues the DPC and then records the status the DPC reads, outside a SynchCritSection:
 * the DPC may already run on another processor and read it first.
 */
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
        Irp.IoStatus.Status = Captured == 1 ? STATUS_SUCCESS : STATUS_DEVICE_DATA_ERROR; // expect: SharedContextUnsynchronized
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        IoStartNextPacket(DeviceObject, false);
    }
}
