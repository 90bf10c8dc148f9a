package rules.dmaresourceleak.goodhelperfreeschannelindmamode;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A disk that runs by DMA when the controller can and by programmed I/O when it cannot; the mode is
 * set once, at start. The DPC flushes the transfer in DMA mode only, and on the paths that fail or
 * finish the request a helper frees the adapter channel, again only in DMA mode: many branches lie
 * between the two tests, but both read the same flag, so no path frees a channel it never held or
 * keeps one it did.
 */
final class GoodHelperFreesChannelInDmaMode {
    static final class Disk {
        boolean UseDma;
        DmaAdapter Adapter;
        Mdl TransferMdl;
        Object MapRegisterBase;
        long TransferVa;
        int Length;
        int Retries;
        int Status;
        int Errors;
        boolean Write;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Disk disk = (Disk) Pdo.DeviceExtension;
        disk.UseDma = disk.Adapter != null;
        return STATUS_SUCCESS;
    }

    @Role(DriverControl.class)
    int AdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        Disk disk = (Disk) Context;
        disk.MapRegisterBase = MapRegisterBase;
        Out<Integer> length = new Out<>(disk.Length);
        disk.Adapter.DmaOperations.MapTransfer(disk.Adapter, disk.TransferMdl, MapRegisterBase, disk.TransferVa,
                length, disk.Write);
        return KeepObject;
    }

    @Role(IoDpcRoutine.class)
    void Dpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Disk disk = (Disk) DeviceObject.DeviceExtension;
        if (disk.UseDma) {
            disk.Adapter.DmaOperations.FlushAdapterBuffers(disk.Adapter, disk.TransferMdl, disk.MapRegisterBase,
                    disk.TransferVa, disk.Length, disk.Write);
        } else if (!disk.Write) {
            KeFlushIoBuffers(disk.TransferMdl, true, false);
        }
        if ((disk.Status & 1) != 0) {
            if (disk.Retries > 0) {
                disk.Errors++;
            }
            if (disk.Errors > 3) {
                disk.Retries = 0;
            }
            Finish(DeviceObject, disk, Irp, STATUS_DEVICE_DATA_ERROR);
            return;
        }
        if (disk.Errors > 0) {
            disk.Errors--;
        }
        Finish(DeviceObject, disk, Irp, STATUS_SUCCESS);
    }

    private void Finish(DeviceObject device, Disk disk, Irp irp, int status) {
        if (disk.UseDma) {
            disk.Adapter.DmaOperations.FreeAdapterChannel(disk.Adapter);
        }
        irp.IoStatus.Status = status;
        irp.IoStatus.Information = status == STATUS_SUCCESS ? disk.Length : 0;
        IoStartNextPacket(device, false);
        IoCompleteRequest(irp, IO_DISK_INCREMENT);
    }
}
