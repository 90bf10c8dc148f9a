package rules.rules.sharedcontextunsynchronized.gooddiskfieldaftercontrollerfreed;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * Two drives behind one controller. The ISR works on the drive that holds the controller (the
 * controller extension names it) and only while an operation is in progress; it counts the
 * sectors it moved in that drive's extension. The DPC ends the operation in a SynchCritSection,
 * frees the controller, and only then reads the drive's sector count to pick the next request by
 * key: the other drive may take the controller at once and the ISR may run for it, but it then
 * works on the other drive's extension. This drive's fields stay out of the ISR's reach until this
 * drive starts its next request.
 */
final class GoodDiskFieldAfterControllerFreed {
    static final int PORT_DATA = 0x1F0;
    static final int PORT_STATUS = 0x1F7;

    static final class Drive {
        DeviceObject Device;
        ControllerObject Controller;
        long NextSector;
        int SectorsMoved;
        Irp Request;
    }

    static final class Channel {
        KInterrupt Interrupt;
        boolean Busy;
        Drive Owner;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Drive drive = (Drive) Pdo.DeviceExtension;
        drive.Device = Pdo;
        IoInitializeDpcRequest(Pdo, this::Dpc);
        Channel channel = (Channel) drive.Controller.ControllerExtension;
        if (channel.Interrupt != null) {
            return STATUS_SUCCESS;
        }
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::Isr, channel, null, 14, 14, 14, Latched, false, 1, false);
        channel.Interrupt = interrupt.value;
        return status;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Drive drive = (Drive) DeviceObject.DeviceExtension;
        drive.Request = Irp;
        drive.NextSector = IoGetCurrentIrpStackLocation(Irp).Parameters.Read.ByteOffset / 512;
        drive.SectorsMoved = 0;
        IoAllocateController(drive.Controller, DeviceObject, this::ControllerGranted, drive);
    }

    @Role(DriverControl.class)
    int ControllerGranted(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        Drive drive = (Drive) Context;
        Channel channel = (Channel) drive.Controller.ControllerExtension;
        KeSynchronizeExecution(channel.Interrupt, this::Begin, drive);
        return KeepObject;
    }

    @Role(KSynchronizeRoutine.class)
    boolean Begin(Object Context) {
        Drive drive = (Drive) Context;
        Channel channel = (Channel) drive.Controller.ControllerExtension;
        channel.Owner = drive;
        channel.Busy = true;
        WRITE_PORT_UCHAR(PORT_STATUS, (byte) 0x20);
        return true;
    }

    @Role(KServiceRoutine.class)
    boolean Isr(KInterrupt Interrupt, Object ServiceContext) {
        Channel channel = (Channel) ServiceContext;
        if (!channel.Busy) {
            return false;
        }
        Drive drive = channel.Owner;
        READ_PORT_USHORT(PORT_DATA);
        drive.SectorsMoved++;
        if ((READ_PORT_UCHAR(PORT_STATUS) & 0x08) == 0) {
            channel.Busy = false;
            IoRequestDpc(drive.Device, drive.Request, channel);
        }
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean End(Object Context) {
        Channel channel = (Channel) Context;
        channel.Busy = false;
        channel.Owner = null;
        return true;
    }

    @Role(IoDpcRoutine.class)
    void Dpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Drive drive = (Drive) DeviceObject.DeviceExtension;
        Channel channel = (Channel) Context;
        KeSynchronizeExecution(channel.Interrupt, this::End, channel);
        IoFreeController(drive.Controller);
        long key = drive.NextSector + drive.SectorsMoved;
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = drive.SectorsMoved * 512L;
        IoStartNextPacketByKey(DeviceObject, false, (int) key);
        IoCompleteRequest(Irp, IO_DISK_INCREMENT);
    }
}
