package rules.rules.sharedcontextunsynchronized.badhelperfromstartiowritesisrfield;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** StartIo resets the ISR's capture through a helper, outside a SynchCritSection. */
final class BadHelperFromStartIoWritesIsrField {
    int Captured;

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        IoInitializeDpcRequest(Pdo, this::DpcForIsr);
        return STATUS_SUCCESS;
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        Captured = 1;
        IoRequestDpc((DeviceObject) ServiceContext, null, null);
        return true;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Reset(); // expect: SharedContextUnsynchronized
    }

    private void Reset() {
        Captured = 0;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
    }
}
