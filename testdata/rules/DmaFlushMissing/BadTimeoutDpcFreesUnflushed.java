package rules.dmaflushmissing.badtimeoutdpcfreesunflushed;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A watchdog timer's DPC gives up on a transfer the device never finished: it resets the device,
 * gives back the adapter channel and fails the IRP, but never calls FlushAdapterBuffers, so the
 * transfer is not ended. No ISR queues this DPC; that it frees the channel is what says it holds
 * the transfer.
 */
final class BadTimeoutDpcFreesUnflushed {
    static final class Extension {
        DeviceObject Self;
        DmaAdapter Adapter;
        Mdl Mdl;
        Object MapRegisterBase;
        long Va;
        int Mapped;
        Kdpc WatchdogDpc = new Kdpc();
        KTimer Watchdog = new KTimer();
        int ControlPort;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Out<DeviceObject> fdo = new Out<>();
        int status = IoCreateDevice(DriverObject, Extension.class, null, FILE_DEVICE_UNKNOWN, 0, false, fdo);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        Extension ext = (Extension) fdo.value.DeviceExtension;
        ext.Self = fdo.value;
        KeInitializeTimer(ext.Watchdog);
        KeInitializeDpc(ext.WatchdogDpc, this::WatchdogExpired, ext);
        IoInitializeDpcRequest(fdo.value, this::TransferDone);
        return STATUS_SUCCESS;
    }

    @Role(DriverControl.class)
    int MapPiece(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        ext.MapRegisterBase = MapRegisterBase;
        Out<Integer> length = new Out<>(4096);
        ext.Adapter.DmaOperations.MapTransfer(ext.Adapter, ext.Mdl, MapRegisterBase, ext.Va, length, false);
        ext.Mapped = length.value;
        KeSetTimer(ext.Watchdog, -5_000_000L, ext.WatchdogDpc);
        return KeepObject;
    }

    @Role(IoDpcRoutine.class)
    void TransferDone(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        if (!KeCancelTimer(ext.Watchdog)) {
            return;
        }
        ext.Adapter.DmaOperations.FlushAdapterBuffers(ext.Adapter, ext.Mdl, ext.MapRegisterBase, ext.Va, ext.Mapped,
                false);
        ext.Adapter.DmaOperations.FreeAdapterChannel(ext.Adapter);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = ext.Mapped;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }

    @Role(KDeferredRoutine.class)
    void WatchdogExpired(Kdpc Dpc, Object Context, Object Arg1, Object Arg2) {
        Extension ext = (Extension) Context;
        Irp irp = ext.Self.CurrentIrp;
        WRITE_PORT_UCHAR(ext.ControlPort, (byte) 0x04);
        ext.Adapter.DmaOperations.FreeAdapterChannel(ext.Adapter); // expect: DmaFlushMissing
        irp.IoStatus.Status = STATUS_IO_TIMEOUT;
        irp.IoStatus.Information = 0;
        IoStartNextPacket(ext.Self, false);
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
