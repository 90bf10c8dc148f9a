package rules.rules.sharedcontextunsynchronized.goodtwomodesneverbothactive;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A disk controller that moves a request by bus-master DMA or, when the drive cannot, by
 * programmed I/O. Each mode has its flag; the SynchCritSection that starts one mode raises its flag
 * and lowers the other's, so the two are never up together. The ISR ignores the interrupt when
 * neither is up; in PIO mode it reads the direction StartIo recorded, in DMA mode it only stops
 * the engine and lowers the DMA flag. The DPC therefore starts with both flags down, whichever mode
 * ran, and the next StartIo may record the direction without a SynchCritSection.
 */
final class GoodTwoModesNeverBothActive {
    static final int CMD = 0x1F7;
    static final int DATA = 0x1F0;
    static final int BM_COMMAND = 0xC000;

    static final class Disk {
        KInterrupt Interrupt;
        boolean UseDma;
        boolean DmaActive;
        boolean PioActive;
        boolean Write;
        byte[] Buffer;
        int Offset;
        int Status;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Disk disk = (Disk) Pdo.DeviceExtension;
        IoInitializeDpcRequest(Pdo, this::Dpc);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::Isr, Pdo, null, 14, 14, 14, Latched, false, 1, false);
        disk.Interrupt = interrupt.value;
        return status;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Disk disk = (Disk) DeviceObject.DeviceExtension;
        disk.Write = IoGetCurrentIrpStackLocation(Irp).MajorFunction == IRP_MJ_WRITE;
        disk.Buffer = Irp.AssociatedIrp.SystemBuffer;
        disk.Offset = 0;
        if (disk.UseDma) {
            KeSynchronizeExecution(disk.Interrupt, this::StartDma, disk);
        } else {
            KeSynchronizeExecution(disk.Interrupt, this::StartPio, disk);
        }
    }

    @Role(KSynchronizeRoutine.class)
    boolean StartDma(Object Context) {
        Disk disk = (Disk) Context;
        disk.DmaActive = true;
        disk.PioActive = false;
        WRITE_PORT_UCHAR(BM_COMMAND, (byte) (disk.Write ? 1 : 9));
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean StartPio(Object Context) {
        Disk disk = (Disk) Context;
        disk.DmaActive = false;
        disk.PioActive = true;
        WRITE_PORT_UCHAR(CMD, (byte) (disk.Write ? 0x30 : 0x20));
        return true;
    }

    @Role(KServiceRoutine.class)
    boolean Isr(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject device = (DeviceObject) ServiceContext;
        Disk disk = (Disk) device.DeviceExtension;
        if (!disk.DmaActive && !disk.PioActive) {
            return false;
        }
        if (disk.DmaActive) {
            WRITE_PORT_UCHAR(BM_COMMAND, (byte) 0);
            disk.DmaActive = false;
        } else {
            if (!disk.Write) {
                disk.Buffer[disk.Offset++] = READ_PORT_UCHAR(DATA);
            }
            disk.PioActive = false;
        }
        disk.Status = READ_PORT_UCHAR(CMD);
        IoRequestDpc(device, device.CurrentIrp, null);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void Dpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Disk disk = (Disk) DeviceObject.DeviceExtension;
        Irp.IoStatus.Status = (disk.Status & 1) != 0 ? STATUS_DEVICE_DATA_ERROR : STATUS_SUCCESS;
        Irp.IoStatus.Information = disk.Offset;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_DISK_INCREMENT);
    }
}
