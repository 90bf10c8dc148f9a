package rules.isrrequestdpcnotlast.goodeachunititsowndpcforisr;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A two-drive IDE channel: each drive is a device object of its own, with its own DpcForIsr, and
 * one ISR serves both. For each drive that finished, the ISR stores the drive's status in that
 * drive's extension and then requests that drive's DPC. The DPC reads only the extension of the
 * device it was handed, so the second drive's status, stored after the first drive's DPC was
 * requested, is not what that DPC reads.
 */
final class GoodEachUnitItsOwnDpcForIsr {
    static final class DriveExtension {
        int Status;
        long Regs;
    }

    static final class Channel {
        DeviceObject Master;
        DeviceObject Slave;
        long Regs;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Out<DeviceObject> drive = new Out<>();
        int status = IoCreateDevice(DriverObject, DriveExtension.class, null, FILE_DEVICE_DISK, 0, false, drive);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        IoInitializeDpcRequest(drive.value, this::DriveDpc);
        return STATUS_SUCCESS;
    }

    @Role(KServiceRoutine.class)
    boolean ChannelIsr(KInterrupt Interrupt, Object ServiceContext) {
        Channel channel = (Channel) ServiceContext;
        int cause = READ_PORT_UCHAR(channel.Regs + 7);
        if ((cause & 0x03) == 0) {
            return false;
        }
        if ((cause & 0x01) != 0) {
            Finish(channel.Master);
        }
        if ((cause & 0x02) != 0) {
            Finish(channel.Slave);
        }
        return true;
    }

    /** Records one drive's status and requests its DPC. */
    private static void Finish(DeviceObject drive) {
        DriveExtension ext = (DriveExtension) drive.DeviceExtension;
        ext.Status = READ_PORT_UCHAR(ext.Regs + 7);
        IoRequestDpc(drive, drive.CurrentIrp, null);
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        DriveExtension ext = (DriveExtension) DeviceObject.DeviceExtension;
        WRITE_PORT_UCHAR(ext.Regs + 7, (byte) 0x20);
    }

    @Role(IoDpcRoutine.class)
    void DriveDpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        DriveExtension ext = (DriveExtension) DeviceObject.DeviceExtension;
        int status = ext.Status; // expect: SharedContextUnsynchronized
        Irp.IoStatus.Status = (status & 0x01) != 0 ? STATUS_DEVICE_DATA_ERROR : STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_DISK_INCREMENT);
    }
}
