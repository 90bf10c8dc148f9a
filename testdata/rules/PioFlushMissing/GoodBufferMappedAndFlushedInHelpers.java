package rules.pioflushmissing.goodbuffermappedandflushedinhelpers;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A programmed-I/O ATA disk. StartIo keeps the request in the extension and maps its MDL through
 * a helper; the ISR moves one 16-bit word per data-ready interrupt into that buffer. The DPC
 * hands the request to a finishing helper, which flushes a read through the MDL of the request
 * the extension holds (the DPC's current IRP) and completes it. Clean.
 */
final class GoodBufferMappedAndFlushedInHelpers {
    static final long DATA = 0x170;
    static final long STATUS = 0x177;

    static final class Disk {
        KInterrupt Interrupt;
        Irp Request;
        boolean Busy;
        boolean Reading;
        byte[] Buffer;
        int Offset;
        int Length;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Disk disk = (Disk) Pdo.DeviceExtension;
        IoInitializeDpcRequest(Pdo, this::Dpc);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::Isr, Pdo, null, 15, 15, 15, Latched, false, 1, false);
        disk.Interrupt = interrupt.value;
        return status;
    }

    private static byte[] MapBuffer(Irp irp) {
        return MmGetSystemAddressForMdlSafe(irp.MdlAddress, NormalPagePriority);
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Disk disk = (Disk) DeviceObject.DeviceExtension;
        disk.Request = Irp;
        disk.Reading = IoGetCurrentIrpStackLocation(Irp).MajorFunction == IRP_MJ_READ;
        disk.Buffer = MapBuffer(Irp);
        disk.Offset = 0;
        disk.Length = MmGetMdlByteCount(Irp.MdlAddress);
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
        if (disk.Reading) {
            short word = READ_PORT_USHORT(DATA);
            disk.Buffer[disk.Offset] = (byte) word;
            disk.Buffer[disk.Offset + 1] = (byte) (word >>> 8);
        } else {
            WRITE_PORT_USHORT(DATA, (short) ((disk.Buffer[disk.Offset] & 0xff) | disk.Buffer[disk.Offset + 1] << 8));
        }
        disk.Offset += 2;
        if (disk.Offset < disk.Length) {
            return true;
        }
        disk.Busy = false;
        IoRequestDpc(device, device.CurrentIrp, null);
        return true;
    }

    private void Finish(Disk disk, int status) {
        Irp request = disk.Request;
        if (disk.Reading) {
            KeFlushIoBuffers(request.MdlAddress, true, false);
        }
        request.IoStatus.Status = status;
        request.IoStatus.Information = disk.Offset;
        IoCompleteRequest(request, IO_DISK_INCREMENT);
    }

    @Role(IoDpcRoutine.class)
    void Dpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Disk disk = (Disk) DeviceObject.DeviceExtension;
        int status = (READ_PORT_UCHAR(STATUS) & 0x01) != 0 ? STATUS_DEVICE_DATA_ERROR : STATUS_SUCCESS;
        Finish(disk, status);
        IoStartNextPacket(DeviceObject, false);
    }
}
