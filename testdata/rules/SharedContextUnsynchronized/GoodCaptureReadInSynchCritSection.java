package rules.sharedcontextunsynchronized.goodcapturereadinsynchcritsection;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** Before connecting the interrupt the field is set freely; afterwards only inside a SynchCritSection. */
final class GoodCaptureReadInSynchCritSection {
    KInterrupt Interrupt;
    int Captured;

    @Role(DriverDispatch.class)
    int DispatchStart(DeviceObject DeviceObject, Irp Irp) {
        Captured = 0;
        Out<KInterrupt> connected = new Out<>();
        IoConnectInterrupt(connected, this::InterruptService, DeviceObject, null, 5, 5, 5, LevelSensitive, false, 1, false);
        Interrupt = connected.value;
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        Captured = 1;
        IoRequestDpc((DeviceObject) ServiceContext, null, null);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        int[] status = new int[1];
        KeSynchronizeExecution(Interrupt, context -> {
            status[0] = Captured;
            Captured = 0;
            return true;
        }, null);
        Irp.IoStatus.Status = status[0] == 1 ? STATUS_SUCCESS : STATUS_DEVICE_DATA_ERROR;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        IoInitializeDpcRequest(Pdo, this::DpcForIsr);
        return STATUS_SUCCESS;
    }
}
