package rules.isrrequestdpcnotlast.goodtwodpcsqueuedlast;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The ISR captures everything first, then queues both of its DPCs as its last act. */
final class GoodTwoDpcsQueuedLast {
    final Kdpc ReceiveDpc = new Kdpc();
    int Captured;

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        Captured = 1;
        KeInsertQueueDpc(ReceiveDpc, null, null);
        IoRequestDpc(fdo, fdo.CurrentIrp, null);
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
