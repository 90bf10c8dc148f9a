package rules.sharedcontextunsynchronized.baddpcreadscapturedirectly;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The DPC reads the status the ISR captured without the interrupt spin lock. */
final class BadDpcReadsCaptureDirectly {
    KInterrupt Interrupt;
    int Captured;

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        Captured = 1;
        IoRequestDpc((DeviceObject) ServiceContext, null, null);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        int status = Captured; // expect: SharedContextUnsynchronized
        Irp.IoStatus.Status = status == 1 ? STATUS_SUCCESS : STATUS_DEVICE_DATA_ERROR;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        IoInitializeDpcRequest(Pdo, this::DpcForIsr);
        return STATUS_SUCCESS;
    }
}
