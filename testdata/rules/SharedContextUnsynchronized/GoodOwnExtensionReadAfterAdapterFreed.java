package rules.sharedcontextunsynchronized.goodownextensionreadafteradapterfreed;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A bus-master disk. StartIo takes the adapter channel; the adapter control routine maps the
 * buffer and starts the engine in a SynchCritSection that raises Busy. The ISR ignores the
 * interrupt unless Busy, latches the controller status in the extension, lowers Busy and queues
 * the DPC. The DPC flushes, frees the adapter channel, then reads the latched status and the byte
 * count, and rewinds the bus-master command register: the ISR cannot touch any of them until
 * StartIo runs again, because Busy is down. Clean.
 */
final class GoodOwnExtensionReadAfterAdapterFreed {
    static final long BM_COMMAND = 0xC000;
    static final long BM_STATUS = 0xC002;
    static final long BM_PRD = 0xC004;

    static final class Disk {
        KInterrupt Interrupt;
        DmaAdapter Adapter;
        Object MapRegisterBase;
        long Va;
        int Length;
        boolean Busy;
        boolean Write;
        long Physical;
        int Status;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Disk disk = (Disk) Pdo.DeviceExtension;
        IoInitializeDpcRequest(Pdo, this::Dpc);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::Isr, Pdo, null, 15, 15, 15, LevelSensitive, true, 1, false);
        disk.Interrupt = interrupt.value;
        return status;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Disk disk = (Disk) DeviceObject.DeviceExtension;
        disk.Write = IoGetCurrentIrpStackLocation(Irp).MajorFunction == IRP_MJ_WRITE;
        disk.Va = MmGetMdlVirtualAddress(Irp.MdlAddress);
        disk.Length = MmGetMdlByteCount(Irp.MdlAddress);
        disk.Adapter.DmaOperations.AllocateAdapterChannel(disk.Adapter, DeviceObject, 16, this::AdapterControl, disk);
    }

    @Role(DriverControl.class)
    int AdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        Disk disk = (Disk) Context;
        disk.MapRegisterBase = MapRegisterBase;
        Out<Integer> length = new Out<>(disk.Length);
        disk.Physical = disk.Adapter.DmaOperations.MapTransfer(disk.Adapter, Irp.MdlAddress, MapRegisterBase, disk.Va, length, disk.Write);
        KeSynchronizeExecution(disk.Interrupt, this::Go, disk);
        return KeepObject;
    }

    @Role(KSynchronizeRoutine.class)
    boolean Go(Object Context) {
        Disk disk = (Disk) Context;
        disk.Busy = true;
        WRITE_PORT_ULONG(BM_PRD, (int) disk.Physical);
        WRITE_PORT_UCHAR(BM_COMMAND, (byte) (disk.Write ? 0x01 : 0x09));
        return true;
    }

    @Role(KServiceRoutine.class)
    boolean Isr(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject device = (DeviceObject) ServiceContext;
        Disk disk = (Disk) device.DeviceExtension;
        if (!disk.Busy) {
            return false;
        }
        disk.Status = READ_PORT_UCHAR(BM_STATUS);
        WRITE_PORT_UCHAR(BM_STATUS, (byte) 0x06);
        WRITE_PORT_UCHAR(BM_COMMAND, (byte) 0x00);
        disk.Busy = false;
        IoRequestDpc(device, device.CurrentIrp, null);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void Dpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Disk disk = (Disk) DeviceObject.DeviceExtension;
        DmaAdapter adapter = disk.Adapter;
        adapter.DmaOperations.FlushAdapterBuffers(adapter, Irp.MdlAddress, disk.MapRegisterBase, disk.Va, disk.Length, disk.Write);
        adapter.DmaOperations.FreeAdapterChannel(adapter);
        WRITE_PORT_UCHAR(BM_COMMAND, (byte) 0x00);
        boolean failed = (disk.Status & 0x02) != 0;
        Irp.IoStatus.Status = failed ? STATUS_DEVICE_DATA_ERROR : STATUS_SUCCESS;
        Irp.IoStatus.Information = failed ? 0 : disk.Length;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_DISK_INCREMENT);
    }
}
