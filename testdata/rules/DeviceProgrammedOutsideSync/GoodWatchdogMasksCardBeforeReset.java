package rules.deviceprogrammedoutsidesync.goodwatchdogmaskscardbeforereset;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A hang check in the NE2000 manner: the ISR masks the card (zero to the interrupt mask register)
 * before it queues the DPC. The IoTimer routine, finding a transmit stuck, masks the card the same
 * way in a SynchCritSection, rewrites the transmit registers the ISR also reads while the card cannot
 * interrupt, and unmasks it in a second SynchCritSection.
 */
final class GoodWatchdogMasksCardBeforeReset {
    static final int REG_ISR = 0x07;
    static final int REG_IMR = 0x0F;
    static final int REG_TX_PAGE = 0x04;
    static final int REG_TX_COUNT = 0x05;
    static final int ALL_EVENTS = 0x3F;

    static final class Nic {
        long IoBase;
        KInterrupt Interrupt;
        KSpinLock Lock;
        int StuckTicks;
        int TxPage;
        int TxLength;
        int LastSent;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Nic nic = (Nic) Pdo.DeviceExtension;
        IoInitializeDpcRequest(Pdo, this::HandleInterrupt);
        IoInitializeTimer(Pdo, this::CheckForHang, nic);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptService, Pdo, null, 9, 9, 9, LevelSensitive, true,
                1, false);
        nic.Interrupt = interrupt.value;
        return status;
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject device = (DeviceObject) ServiceContext;
        Nic nic = (Nic) device.DeviceExtension;
        long base = nic.IoBase;
        if ((READ_PORT_UCHAR(base + REG_ISR) & 0xFF) == 0) {
            return false;
        }
        nic.LastSent = READ_PORT_UCHAR(base + REG_TX_COUNT) & 0xFF;
        WRITE_PORT_UCHAR(base + REG_IMR, (byte) 0);
        IoRequestDpc(device, null, null);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void HandleInterrupt(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Nic nic = (Nic) DeviceObject.DeviceExtension;
        KeAcquireSpinLockAtDpcLevel(nic.Lock);
        nic.StuckTicks = 0;
        KeReleaseSpinLockFromDpcLevel(nic.Lock);
        KeSynchronizeExecution(nic.Interrupt, this::Unmask, nic);
    }

    @Role(IoTimerRoutine.class)
    void CheckForHang(DeviceObject DeviceObject, Object Context) {
        Nic nic = (Nic) Context;
        KeAcquireSpinLockAtDpcLevel(nic.Lock);
        if (nic.TxLength > 0 && ++nic.StuckTicks > 2) {
            KeSynchronizeExecution(nic.Interrupt, this::Mask, nic);
            Resend(nic);
            KeSynchronizeExecution(nic.Interrupt, this::Unmask, nic);
            nic.StuckTicks = 0;
        }
        KeReleaseSpinLockFromDpcLevel(nic.Lock);
    }

    private void Resend(Nic nic) {
        WRITE_PORT_UCHAR(nic.IoBase + REG_TX_PAGE, (byte) nic.TxPage);
        WRITE_PORT_UCHAR(nic.IoBase + REG_TX_COUNT, (byte) nic.TxLength);
    }

    @Role(KSynchronizeRoutine.class)
    boolean Mask(Object Context) {
        Nic nic = (Nic) Context;
        WRITE_PORT_UCHAR(nic.IoBase + REG_IMR, (byte) 0);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean Unmask(Object Context) {
        Nic nic = (Nic) Context;
        WRITE_PORT_UCHAR(nic.IoBase + REG_IMR, (byte) ALL_EVENTS);
        return true;
    }
}
