package rules.deviceprogrammedoutsidesync.baddpcwriteswhatasynchcritsectionwrites;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A transmit path with two entries: the dispatch routine starts a frame through a SynchCritSection
 * that writes the length and command registers, but the DPC, which sends what waited while the
 * transmitter was busy, writes the same registers directly through a helper, holding only its own
 * spin lock. The ISR reads just the status register; the driver itself says, by its
 * SynchCritSection, that the transmit registers are not to be written with an interrupt in between.
 */
final class BadDpcWritesWhatASynchCritSectionWrites {
    static final int REG_STATUS = 0x00;
    static final int REG_COMMAND = 0x02;
    static final int REG_TX_LENGTH = 0x06;
    static final int CMD_TX_START = 0x10;

    static final class Nic {
        long IoBase;
        KInterrupt Interrupt;
        KSpinLock SendLock;
        int Events;
        int WaitingLength;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Nic nic = (Nic) Pdo.DeviceExtension;
        IoInitializeDpcRequest(Pdo, this::SendCompleteDpc);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptService, Pdo, null, 9, 9, 9, LevelSensitive, true,
                1, false);
        nic.Interrupt = interrupt.value;
        return status;
    }

    @Role(DriverDispatch.class)
    int DispatchWrite(DeviceObject DeviceObject, Irp Irp) {
        Nic nic = (Nic) DeviceObject.DeviceExtension;
        nic.WaitingLength = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
        KeSynchronizeExecution(nic.Interrupt, this::StartFrame, nic);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @Role(KSynchronizeRoutine.class)
    boolean StartFrame(Object Context) {
        Nic nic = (Nic) Context;
        WRITE_PORT_USHORT(nic.IoBase + REG_TX_LENGTH, (short) nic.WaitingLength);
        WRITE_PORT_UCHAR(nic.IoBase + REG_COMMAND, (byte) CMD_TX_START);
        return true;
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject device = (DeviceObject) ServiceContext;
        Nic nic = (Nic) device.DeviceExtension;
        int status = READ_PORT_UCHAR(nic.IoBase + REG_STATUS) & 0xFF;
        if (status == 0) {
            return false;
        }
        WRITE_PORT_UCHAR(nic.IoBase + REG_STATUS, (byte) status);
        IoRequestDpc(device, null, null);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void SendCompleteDpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Nic nic = (Nic) DeviceObject.DeviceExtension;
        KeAcquireSpinLockAtDpcLevel(nic.SendLock);
        if (nic.WaitingLength > 0) {
            SendWaiting(nic); // expect: DeviceProgrammedOutsideSync
            nic.WaitingLength = 0;
        }
        KeReleaseSpinLockFromDpcLevel(nic.SendLock);
    }

    private void SendWaiting(Nic nic) {
        WRITE_PORT_USHORT(nic.IoBase + REG_TX_LENGTH, (short) nic.WaitingLength);
        WRITE_PORT_UCHAR(nic.IoBase + REG_COMMAND, (byte) CMD_TX_START);
    }
}
