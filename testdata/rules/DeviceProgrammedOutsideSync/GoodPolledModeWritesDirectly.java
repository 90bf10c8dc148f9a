package rules.rules.deviceprogrammedoutsidesync.goodpolledmodewritesdirectly;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A MIDI port in the MPU-401 manner that runs with an interrupt when the resources give it one
 * and polled otherwise. The interrupt is connected only when UseIrq is set (the start routine
 * returns before IoConnectInterrupt otherwise), and the DPC's write helper goes through
 * KeSynchronizeExecution in that mode and writes the data port directly in the other, where there
 * is no ISR to meet.
 */
final class GoodPolledModeWritesDirectly {
    static final int PORT_DATA = 0x330;

    static final class Extension {
        boolean UseIrq;
        int Vector;
        KInterrupt Interrupt;
        byte Pending;
        Kdpc ServiceDpc = new Kdpc();
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Extension ext = (Extension) Pdo.DeviceExtension;
        KeInitializeDpc(ext.ServiceDpc, this::ServiceDpc, ext);
        ext.UseIrq = false;
        if (ext.Vector != 0) {
            ext.UseIrq = true;
        }
        return StartInterrupt(ext);
    }

    private int StartInterrupt(Extension ext) {
        if (!ext.UseIrq) {
            return STATUS_SUCCESS;
        }
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptService, ext, null, ext.Vector, 5, 5, Latched, false,
                1, false);
        ext.Interrupt = interrupt.value;
        return status;
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        Extension ext = (Extension) ServiceContext;
        READ_PORT_UCHAR(PORT_DATA + 1);
        KeInsertQueueDpc(ext.ServiceDpc, null, null);
        return true;
    }

    @Role(KDeferredRoutine.class)
    void ServiceDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Extension ext = (Extension) DeferredContext;
        if (ext.UseIrq) {
            KeSynchronizeExecution(ext.Interrupt, this::WriteData, ext);
        } else {
            WriteData(ext);
        }
    }

    @Role(KSynchronizeRoutine.class)
    boolean WriteData(Object Context) {
        Extension ext = (Extension) Context;
        WRITE_PORT_UCHAR(PORT_DATA, ext.Pending);
        return true;
    }
}
