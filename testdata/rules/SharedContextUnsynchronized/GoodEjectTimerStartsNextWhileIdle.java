package rules.sharedcontextunsynchronized.goodejecttimerstartsnextwhileidle;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A cartridge drive. Block transfers are interrupt-driven: the SynchCritSection that starts one
 * raises Busy, and the ISR services the drive only while Busy is set and lowers it before it
 * queues the DPC. An eject is not: StartIo issues it without raising Busy and arms a timer whose
 * DPC polls the drive until the cartridge is out, then completes the request and starts the next
 * one. Busy is down wherever a request is started, so StartIo may fill in the transfer context
 * before its SynchCritSection raises the flag.
 */
final class GoodEjectTimerStartsNextWhileIdle {
    static final int PORT_COMMAND = 0x1f7;
    static final int PORT_STATUS = 0x1f7;
    static final int PORT_DATA = 0x1f0;
    static final int CMD_READ = 0x20;
    static final int CMD_EJECT = 0xed;
    static final int ST_EJECTING = 0x80;
    static final int IOCTL_EJECT = 0x2d4808;

    static final class Drive {
        DeviceObject Self;
        KInterrupt Interrupt;
        final Kdpc PollDpc = new Kdpc();
        final KTimer PollTimer = new KTimer();
        boolean Busy;
        byte[] Buffer;
        int Offset;
        int Length;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Drive drive = (Drive) Pdo.DeviceExtension;
        drive.Self = Pdo;
        KeInitializeTimer(drive.PollTimer);
        KeInitializeDpc(drive.PollDpc, this::EjectPoll, drive);
        IoInitializeDpcRequest(Pdo, this::TransferDpc);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::DriveIsr, drive, null, 14, 14, 14, Latched, false, 1, false);
        drive.Interrupt = interrupt.value;
        return status;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Drive drive = (Drive) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        if (stack.MajorFunction == IRP_MJ_DEVICE_CONTROL
                && stack.Parameters.DeviceIoControl.IoControlCode == IOCTL_EJECT) {
            KeSynchronizeExecution(drive.Interrupt, this::IssueEject, drive);
            KeSetTimer(drive.PollTimer, -1_000_000L, drive.PollDpc);
            return;
        }
        drive.Buffer = Irp.AssociatedIrp.SystemBuffer;
        drive.Offset = 0;
        drive.Length = stack.Parameters.Read.Length;
        KeSynchronizeExecution(drive.Interrupt, this::IssueRead, drive);
    }

    @Role(KSynchronizeRoutine.class)
    boolean IssueRead(Object Context) {
        Drive drive = (Drive) Context;
        drive.Busy = true;
        WRITE_PORT_UCHAR(PORT_COMMAND, (byte) CMD_READ);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean IssueEject(Object Context) {
        WRITE_PORT_UCHAR(PORT_COMMAND, (byte) CMD_EJECT);
        return true;
    }

    @Role(KServiceRoutine.class)
    boolean DriveIsr(KInterrupt Interrupt, Object ServiceContext) {
        Drive drive = (Drive) ServiceContext;
        if (!drive.Busy) {
            return false;
        }
        while (drive.Offset < drive.Length) {
            drive.Buffer[drive.Offset++] = READ_PORT_UCHAR(PORT_DATA);
        }
        drive.Busy = false;
        IoRequestDpc(drive.Self, drive.Self.CurrentIrp, drive);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void TransferDpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Drive drive = (Drive) Context;
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = drive.Length;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }

    @Role(KDeferredRoutine.class)
    void EjectPoll(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Drive drive = (Drive) DeferredContext;
        Irp irp = drive.Self.CurrentIrp;
        if (irp == null) {
            return;
        }
        if ((READ_PORT_UCHAR(PORT_STATUS) & ST_EJECTING) != 0) {
            KeSetTimer(drive.PollTimer, -1_000_000L, drive.PollDpc);
            return;
        }
        irp.IoStatus.Status = STATUS_SUCCESS;
        irp.IoStatus.Information = 0;
        IoStartNextPacket(drive.Self, false);
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
