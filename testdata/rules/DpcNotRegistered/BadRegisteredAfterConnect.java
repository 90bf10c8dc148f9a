package rules.rules.dpcnotregistered.badregisteredafterconnect;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The start routine connects the interrupt first and registers the DpcForIsr after it: an
 * interrupt that comes in between has the ISR queue a DPC object nobody initialized yet.
 */
final class BadRegisteredAfterConnect {
    static final class Extension {
        DeviceObject Self;
        KInterrupt Interrupt;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Extension ext = (Extension) Pdo.DeviceExtension;
        ext.Self = Pdo;
        return StartDevice(ext, 7);
    }

    private int StartDevice(Extension ext, int vector) {
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptService, ext, null, vector, 5, 5, LevelSensitive,
                true, 1, false);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        ext.Interrupt = interrupt.value;
        IoInitializeDpcRequest(ext.Self, this::DpcForIsr);
        return STATUS_SUCCESS;
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        Extension ext = (Extension) ServiceContext;
        READ_PORT_UCHAR(0x3F8);
        IoRequestDpc(ext.Self, null, null); // expect: DpcNotRegistered
        return true;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
    }
}
