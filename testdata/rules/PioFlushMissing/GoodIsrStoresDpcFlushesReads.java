package rules.pioflushmissing.goodisrstoresdpcflushesreads;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A programmed-I/O disk: StartIo maps the request's buffer to a system address and keeps it in the
 * extension; the ISR moves one sector per interrupt between the data port and that buffer and
 * queues the DPC after the last one. The DPC flushes a read's buffer before it completes the
 * request through the DPC's IRP argument (a write's data only left the buffer: nothing to flush).
 */
final class GoodIsrStoresDpcFlushesReads {
    static final int DATA = 0x1F0;
    static final int STATUS = 0x1F7;

    static final class Disk {
        KInterrupt Interrupt;
        boolean Busy;
        boolean Reading;
        byte[] Buffer;
        int Offset;
        int Left;
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
        disk.Reading = IoGetCurrentIrpStackLocation(Irp).MajorFunction == IRP_MJ_READ;
        disk.Buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority);
        disk.Offset = 0;
        disk.Left = IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length;
        KeSynchronizeExecution(disk.Interrupt, this::Start, disk);
    }

    @Role(KSynchronizeRoutine.class)
    boolean Start(Object Context) {
        Disk disk = (Disk) Context;
        disk.Busy = true;
        WRITE_PORT_UCHAR(STATUS, (byte) (disk.Reading ? 0x20 : 0x30));
        return true;
    }

    @Role(KServiceRoutine.class)
    boolean Isr(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject device = (DeviceObject) ServiceContext;
        Disk disk = (Disk) device.DeviceExtension;
        if (!disk.Busy) {
            return false;
        }
        for (int i = 0; i < 512 && disk.Left > 0; i += 2, disk.Left -= 2) {
            if (disk.Reading) {
                short word = READ_PORT_USHORT(DATA);
                disk.Buffer[disk.Offset + i] = (byte) word;
                disk.Buffer[disk.Offset + i + 1] = (byte) (word >>> 8);
            } else {
                WRITE_PORT_USHORT(DATA, (short) ((disk.Buffer[disk.Offset + i] & 0xff) | disk.Buffer[disk.Offset + i + 1] << 8));
            }
        }
        disk.Offset += 512;
        if (disk.Left > 0) {
            return true;
        }
        disk.Busy = false;
        IoRequestDpc(device, device.CurrentIrp, null);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void Dpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Disk disk = (Disk) DeviceObject.DeviceExtension;
        if (disk.Reading) {
            KeFlushIoBuffers(Irp.MdlAddress, true, false);
        }
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = disk.Offset;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_DISK_INCREMENT);
    }
}
