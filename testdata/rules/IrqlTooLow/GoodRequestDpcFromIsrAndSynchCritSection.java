package rules.irqltoolow.goodrequestdpcfromisrandsynchcritsection;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** IoRequestDpc from the ISR and from a SynchCritSection, both at DIRQL. */
final class GoodRequestDpcFromIsrAndSynchCritSection {
    KInterrupt Interrupt;
    DeviceObject Fdo;

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        IoRequestDpc(Fdo, Fdo.CurrentIrp, null);
        return true;
    }

    @Role(IoTimerRoutine.class)
    void IoTimer(DeviceObject DeviceObject, Object Context) {
        KeSynchronizeExecution(Interrupt, this::Recover, DeviceObject);
    }

    @Role(KSynchronizeRoutine.class)
    boolean Recover(Object SynchronizeContext) {
        DeviceObject fdo = (DeviceObject) SynchronizeContext;
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
