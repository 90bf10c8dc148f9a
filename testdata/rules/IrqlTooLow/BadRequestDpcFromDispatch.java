package rules.irqltoolow.badrequestdpcfromdispatch;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** A dispatch routine queues the DpcForIsr itself, as if it were the ISR. */
final class BadRequestDpcFromDispatch {
    @Role(DriverDispatch.class)
    int DispatchKick(DeviceObject DeviceObject, Irp Irp) {
        IoMarkIrpPending(Irp);
        IoRequestDpc(DeviceObject, Irp, null); // expect: IrqlTooLow
        return STATUS_PENDING;
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
