package rules.rules.dmaflushmissing.goodprogrammediomodehasnothingtoflush;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A disk controller that runs either by bus-master DMA or by programmed I/O, chosen once when the
 * device is added (UseDma). The DPC flushes and frees the adapter channel only in DMA mode, and
 * tests the mode again before freeing: on the programmed-I/O paths there is no transfer to flush
 * and no channel to give back.
 */
final class GoodProgrammedIoModeHasNothingToFlush {
    static final class Extension {
        boolean UseDma;
        DmaAdapter Adapter;
        Mdl TransferMdl;
        Object MapRegisterBase;
        long TransferVa;
        int Length;
        boolean Write;
        int Errors;
        KSpinLock StatsLock = new KSpinLock();
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Extension ext = (Extension) Pdo.DeviceExtension;
        ext.UseDma = ext.Adapter != null;
        IoInitializeDpcRequest(Pdo, this::DpcForIsr);
        return STATUS_SUCCESS;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        ext.TransferMdl = Irp.MdlAddress;
        ext.TransferVa = MmGetMdlVirtualAddress(Irp.MdlAddress);
        ext.Length = IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length;
        if (ext.UseDma) {
            ext.Adapter.DmaOperations.AllocateAdapterChannel(ext.Adapter, DeviceObject, 16, this::AdapterControl, ext);
        }
    }

    @Role(DriverControl.class)
    int AdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        Extension ext = (Extension) Context;
        ext.MapRegisterBase = MapRegisterBase;
        ext.Adapter.DmaOperations.MapTransfer(ext.Adapter, ext.TransferMdl, MapRegisterBase, ext.TransferVa,
                new Out<>(ext.Length), ext.Write);
        return KeepObject;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        if (ext.UseDma) {
            ext.Adapter.DmaOperations.FlushAdapterBuffers(ext.Adapter, ext.TransferMdl, ext.MapRegisterBase,
                    ext.TransferVa, ext.Length, ext.Write);
        } else if (!ext.Write) {
            KeFlushIoBuffers(ext.TransferMdl, true, false);
        }
        KeAcquireSpinLockAtDpcLevel(ext.StatsLock);
        ext.Errors = 0;
        KeReleaseSpinLockFromDpcLevel(ext.StatsLock);
        if (ext.UseDma) {
            ext.Adapter.DmaOperations.FreeAdapterChannel(ext.Adapter);
        }
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = ext.Length;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_DISK_INCREMENT);
    }
}
