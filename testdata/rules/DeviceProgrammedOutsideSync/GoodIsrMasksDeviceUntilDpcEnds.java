package rules.rules.deviceprogrammedoutsidesync.goodisrmasksdeviceuntildpcends;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A network card in the NE2000 manner: the ISR masks the card's interrupts (writes zero to the
 * interrupt mask register) and queues the DPC; the DPC acknowledges the status register and
 * refills the receive ring through a helper (its boundary register, which the ISR reads), with the
 * card unable to interrupt, and unmasks it in
 * a SynchCritSection at its very end. Nothing the DPC writes to the card can meet the ISR.
 */
final class GoodIsrMasksDeviceUntilDpcEnds {
    static final int REG_STATUS = 0x07;
    static final int REG_MASK = 0x0F;
    static final int REG_BOUNDARY = 0x03;
    static final int REG_CURRENT = 0x04;
    static final int ALL_EVENTS = 0x3F;

    static final class Adapter {
        long IoBase;
        KInterrupt Interrupt;
        int Boundary;
        boolean Overflowed;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Adapter adapter = (Adapter) Pdo.DeviceExtension;
        IoInitializeDpcRequest(Pdo, this::HandleInterrupt);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptService, Pdo, null, 9, 9, 9, LevelSensitive, true,
                1, false);
        adapter.Interrupt = interrupt.value;
        return status;
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject device = (DeviceObject) ServiceContext;
        Adapter adapter = (Adapter) device.DeviceExtension;
        long base = adapter.IoBase;
        if ((READ_PORT_UCHAR(base + REG_STATUS) & 0xFF) == 0) {
            return false;
        }
        // the ring overflowed when the card caught up with the boundary the driver last wrote
        adapter.Overflowed = READ_PORT_UCHAR(base + REG_BOUNDARY) == READ_PORT_UCHAR(base + REG_CURRENT);
        WRITE_PORT_UCHAR(base + REG_MASK, (byte) 0);
        IoRequestDpc(device, null, null);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void HandleInterrupt(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Adapter adapter = (Adapter) DeviceObject.DeviceExtension;
        int status = READ_PORT_UCHAR(adapter.IoBase + REG_STATUS) & 0xFF;
        WRITE_PORT_UCHAR(adapter.IoBase + REG_STATUS, (byte) status);
        if ((status & 0x01) != 0) {
            Refill(adapter);
        }
        KeSynchronizeExecution(adapter.Interrupt, this::EnableInterrupts, adapter);
    }

    private void Refill(Adapter adapter) {
        adapter.Boundary = (adapter.Boundary + 1) & 0x3F;
        WRITE_PORT_UCHAR(adapter.IoBase + REG_BOUNDARY, (byte) adapter.Boundary);
    }

    @Role(KSynchronizeRoutine.class)
    boolean EnableInterrupts(Object Context) {
        Adapter adapter = (Adapter) Context;
        WRITE_PORT_UCHAR(adapter.IoBase + REG_MASK, (byte) ALL_EVENTS);
        return true;
    }
}
