package rules.dmaflushmissing.goodtimerdpconlyfinisheswaitingioctl;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A bus-master adapter with a second DPC, run by a periodic timer, that polls the link state: it
 * signals waiters and finishes a pending "wait for link" IOCTL. It never touches the adapter and
 * no ISR queues it, so it has no transfer to flush and holds no channel; the DpcForIsr ends the
 * transfers.
 */
final class GoodTimerDpcOnlyFinishesWaitingIoctl {
    static final class Extension {
        DmaAdapter Adapter;
        Mdl Mdl;
        Object MapRegisterBase;
        long Va;
        int Mapped;
        int Length;
        Kdpc LinkDpc = new Kdpc();
        KTimer LinkTimer = new KTimer();
        KEvent LinkUp = new KEvent();
        KSpinLock WaitLock = new KSpinLock();
        Irp LinkWaiter;
        int LinkRegister;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Out<DeviceObject> fdo = new Out<>();
        int status = IoCreateDevice(DriverObject, Extension.class, null, FILE_DEVICE_UNKNOWN, 0, false, fdo);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        Extension ext = (Extension) fdo.value.DeviceExtension;
        KeInitializeEvent(ext.LinkUp, NotificationEvent, false);
        KeInitializeSpinLock(ext.WaitLock);
        KeInitializeTimer(ext.LinkTimer);
        KeInitializeDpc(ext.LinkDpc, this::LinkPoll, ext);
        IoInitializeDpcRequest(fdo.value, this::TransferDone);
        KeSetTimerEx(ext.LinkTimer, -10_000_000L, 1000, ext.LinkDpc);
        return STATUS_SUCCESS;
    }

    @Role(DriverControl.class)
    int MapPiece(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        ext.MapRegisterBase = MapRegisterBase;
        Out<Integer> length = new Out<>(ext.Length);
        ext.Adapter.DmaOperations.MapTransfer(ext.Adapter, ext.Mdl, MapRegisterBase, ext.Va, length, true);
        ext.Mapped = length.value;
        return KeepObject;
    }

    @Role(IoDpcRoutine.class)
    void TransferDone(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        ext.Adapter.DmaOperations.FlushAdapterBuffers(ext.Adapter, ext.Mdl, ext.MapRegisterBase, ext.Va, ext.Mapped,
                true);
        ext.Adapter.DmaOperations.FreeAdapterChannel(ext.Adapter);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = ext.Mapped;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }

    @Role(KDeferredRoutine.class)
    void LinkPoll(Kdpc Dpc, Object Context, Object Arg1, Object Arg2) {
        Extension ext = (Extension) Context;
        if ((ext.LinkRegister & 1) == 0) {
            return;
        }
        KeSetEvent(ext.LinkUp, IO_NO_INCREMENT, false);
        Irp waiter = TakeWaiter(ext);
        if (waiter != null) {
            waiter.IoStatus.Status = STATUS_SUCCESS;
            waiter.IoStatus.Information = 0;
            IoCompleteRequest(waiter, IO_NO_INCREMENT);
        }
    }

    private Irp TakeWaiter(Extension ext) {
        KeAcquireSpinLockAtDpcLevel(ext.WaitLock);
        Irp waiter = ext.LinkWaiter;
        ext.LinkWaiter = null;
        KeReleaseSpinLockFromDpcLevel(ext.WaitLock);
        return waiter;
    }
}
