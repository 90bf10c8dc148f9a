package rules.dpcnotregistered.goodregisteredinadddevice;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** AddDevice registers the DpcForIsr that the ISR queues. */
final class GoodRegisteredInAddDevice {
    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        IoInitializeDpcRequest(Pdo, this::DpcForIsr);
        return STATUS_SUCCESS;
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        IoRequestDpc(fdo, fdo.CurrentIrp, null);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
    }
}
