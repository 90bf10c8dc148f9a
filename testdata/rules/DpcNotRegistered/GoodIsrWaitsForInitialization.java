package rules.rules.dpcnotregistered.goodisrwaitsforinitialization;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A legacy driver in the manner of ReactOS's IDE driver: DriverEntry connects the controller's
 * interrupt before it creates the device objects (and registers their DpcForIsr), but the ISR
 * ignores every interrupt until DriverEntry has set Initialized at its end.
 */
final class GoodIsrWaitsForInitialization {
    static boolean Initialized;

    static final class Extension {
        DeviceObject Self;
        KInterrupt Interrupt;
    }

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, Extension.class, new UnicodeString("\\Device\\Port0"),
                FILE_DEVICE_UNKNOWN, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        Extension ext = (Extension) created.value.DeviceExtension;
        ext.Self = created.value;
        status = StartDevice(ext, 7);
        if (NT_SUCCESS(status)) {
            Initialized = true;
        }
        return status;
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
        if (!Initialized) {
            return false;
        }
        Extension ext = (Extension) ServiceContext;
        READ_PORT_UCHAR(0x3F8);
        IoRequestDpc(ext.Self, null, null);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
    }
}
