package corpus.cancelqmarkirppending;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A driver for a hypothetical data-acquisition device that must be polled and needs a settling
 * period between two reads. Reads are queued in a driver-managed cancel-safe queue (no StartIo):
 * the queue callbacks (insert, remove, peek, lock, unlock, complete-cancelled) are driver routines
 * around one spin lock and IoSetCancelRoutine. The sample's polling thread becomes a timer and its
 * CustomDpc: each tick takes the oldest IRP, polls the device, and either completes the IRP or puts
 * it back at the head of the queue for the next tick. Cleanup flushes the closing handle's IRPs.
 * Re-expressed from: microsoft/Windows-driver-samples/general/cancel/sys/cancel.c (structure and facts, not code).
 */
public final class CancelDriver {
    static final int TAG = 0x6c636e43;
    /** Size of the INPUT_DATA a read returns. */
    static final int INPUT_DATA_SIZE = 4;
    /** One poll interval, relative, in 100 ns units (the sample's CSAMP_RETRY_INTERVAL). */
    static final long RETRY_INTERVAL = -500 * 10000L;
    static final int STATUS_NOT_IMPLEMENTED = 0xC0000002;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, CancelExtension.class, new UnicodeString("\\Device\\CancelSamp"),
                FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject device = created.value;
        CancelExtension ext = (CancelExtension) device.DeviceExtension;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::Read;
        DriverObject.MajorFunction[IRP_MJ_CLEANUP] = this::Cleanup;
        DriverObject.DriverUnload = this::Unload;
        device.Flags |= DO_BUFFERED_IO;
        ext.Self = device;
        KeInitializeSpinLock(ext.QueueLock);
        KeInitializeTimerEx(ext.PollTimer, NotificationTimer);
        KeInitializeDpc(ext.PollDpc, this::PollDpc, device);
        ext.PollingInterval = 2;
        ext.LastPollTime = -ext.PollingInterval;
        ext.ShouldStop = false;
        return STATUS_SUCCESS;
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
        DeviceObject device = DriverObject.DeviceObject;
        CancelExtension ext = (CancelExtension) device.DeviceExtension;
        Out<Integer> irql = new Out<>();
        AcquireLock(ext, irql);
        ext.ShouldStop = true;
        ReleaseLock(ext, irql.value);
        KeCancelTimer(ext.PollTimer);
        KeRemoveQueueDpc(ext.PollDpc);
        IoDeleteDevice(device);
    }

    @Role(DriverDispatch.class)
    @Pageable
    int CreateClose(DeviceObject DeviceObject, Irp Irp) {
        PAGED_CODE();
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status = STATUS_SUCCESS;
        switch (stack.MajorFunction) {
            case IRP_MJ_CREATE: {
                CancelExtension.FileContext context = ExAllocatePoolWithTag(NonPagedPoolNx,
                        CancelExtension.FileContext.class, TAG);
                if (context == null) {
                    status = STATUS_INSUFFICIENT_RESOURCES;
                    break;
                }
                IoInitializeRemoveLock(context.FileRundownLock, TAG, 0, 0);
                stack.FileObject.FsContext = context;
                break;
            }
            case IRP_MJ_CLOSE:
                ExFreePoolWithTag(stack.FileObject.FsContext, TAG);
                break;
            default:
                status = STATUS_INVALID_PARAMETER;
                break;
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    @Role(DriverDispatch.class)
    int Read(DeviceObject DeviceObject, Irp Irp) {
        CancelExtension ext = (CancelExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        CancelExtension.FileContext context = (CancelExtension.FileContext) stack.FileObject.FsContext;
        int status = IoAcquireRemoveLock(context.FileRundownLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        if (stack.Parameters.Read.Length < INPUT_DATA_SIZE) {
            Irp.IoStatus.Status = status = STATUS_BUFFER_TOO_SMALL;
            Irp.IoStatus.Information = 0;
            IoReleaseRemoveLock(context.FileRundownLock, Irp);
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        // the queue marks the IRP pending; the poll DPC completes it (or cancellation does)
        CsqInsertIrp(ext, Irp);
        IoReleaseRemoveLock(context.FileRundownLock, Irp);
        return STATUS_PENDING; // expect: MarkIrpPending
    }

    // ---- the cancel-safe queue ----

    private void AcquireLock(CancelExtension ext, Out<Integer> Irql) {
        KeAcquireSpinLock(ext.QueueLock, Irql);
    }

    private void ReleaseLock(CancelExtension ext, int Irql) {
        KeReleaseSpinLock(ext.QueueLock, Irql);
    }

    /** Queues the IRP with a cancel routine, or completes it at once if it was already cancelled; arms the poll timer. */
    private void CsqInsertIrp(CancelExtension ext, Irp Irp) {
        Out<Integer> irql = new Out<>();
        AcquireLock(ext, irql);
        IoSetCancelRoutine(Irp, this::CsqCancelRoutine);
        if (Irp.Cancel && IoSetCancelRoutine(Irp, null) != null) {
            ReleaseLock(ext, irql.value);
            CsqCompleteCanceledIrp(Irp);
            return;
        }
        ext.PendingIrpQueue.addLast(Irp);
        if (!ext.PollArmed && !ext.ShouldStop) {
            ext.PollArmed = true;
            KeSetTimer(ext.PollTimer, RETRY_INTERVAL, ext.PollDpc);
        }
        ReleaseLock(ext, irql.value);
    }

    /** Takes the oldest queued IRP (of one file object, or any when FileObject is null) whose cancel routine we win. Call with the lock held. */
    private Irp CsqRemoveNextIrpLocked(CancelExtension ext, FileObject FileObject) {
        for (int i = 0; i < ext.PendingIrpQueue.size(); i++) {
            Irp candidate = ext.PendingIrpQueue.get(i);
            if (FileObject != null && IoGetCurrentIrpStackLocation(candidate).FileObject != FileObject) {
                continue;
            }
            if (IoSetCancelRoutine(candidate, null) == null) {
                // being cancelled: the cancel routine removes and completes it
                continue;
            }
            ext.PendingIrpQueue.remove(i);
            return candidate;
        }
        return null;
    }

    @Role(DriverCancel.class)
    void CsqCancelRoutine(DeviceObject DeviceObject, Irp Irp) {
        CancelExtension ext = (CancelExtension) DeviceObject.DeviceExtension;
        IoReleaseCancelSpinLock(Irp.CancelIrql);
        Out<Integer> irql = new Out<>();
        AcquireLock(ext, irql);
        ext.PendingIrpQueue.remove(Irp);
        ReleaseLock(ext, irql.value);
        CsqCompleteCanceledIrp(Irp);
    }

    private void CsqCompleteCanceledIrp(Irp Irp) {
        Irp.IoStatus.Status = STATUS_CANCELLED;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }

    // ---- polling ----

    /** Reads the device if its settling period is over; STATUS_PENDING means try again on the next tick. */
    private int PollDevice(CancelExtension ext, Irp Irp) {
        if (ext.Now - ext.LastPollTime < ext.PollingInterval) {
            return STATUS_PENDING;
        }
        byte[] buffer = Irp.AssociatedIrp.SystemBuffer;
        int sample = ext.NextSample++;
        for (int i = 0; i < INPUT_DATA_SIZE; i++) {
            buffer[i] = (byte) (sample >>> (8 * i));
        }
        ext.LastPollTime = ext.Now;
        Irp.IoStatus.Information = INPUT_DATA_SIZE;
        return STATUS_SUCCESS;
    }

    @Role(KDeferredRoutine.class)
    void PollDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        DeviceObject device = (DeviceObject) DeferredContext;
        CancelExtension ext = (CancelExtension) device.DeviceExtension;
        Irp irp;
        int status;

        KeAcquireSpinLockAtDpcLevel(ext.QueueLock);
        ext.PollArmed = false;
        ext.Now++;
        irp = CsqRemoveNextIrpLocked(ext, null);
        if (irp == null) {
            KeReleaseSpinLockFromDpcLevel(ext.QueueLock);
            return;
        }
        status = PollDevice(ext, irp);
        if (status == STATUS_PENDING) {
            // too soon: back to the head of the queue, cancelable again
            IoSetCancelRoutine(irp, this::CsqCancelRoutine);
            if (irp.Cancel && IoSetCancelRoutine(irp, null) != null) {
                KeReleaseSpinLockFromDpcLevel(ext.QueueLock);
                CsqCompleteCanceledIrp(irp);
                return;
            }
            ext.PendingIrpQueue.addFirst(irp);
        }
        boolean more = !ext.PendingIrpQueue.isEmpty() && !ext.ShouldStop;
        if (more) {
            ext.PollArmed = true;
            KeSetTimer(ext.PollTimer, RETRY_INTERVAL, ext.PollDpc);
        }
        KeReleaseSpinLockFromDpcLevel(ext.QueueLock);

        if (status != STATUS_PENDING) {
            irp.IoStatus.Status = status;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
        }
    }

    /** Completes every queued read of the closing handle, then the cleanup IRP itself. */
    @Role(DriverDispatch.class)
    int Cleanup(DeviceObject DeviceObject, Irp Irp) {
        CancelExtension ext = (CancelExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        CancelExtension.FileContext context = (CancelExtension.FileContext) stack.FileObject.FsContext;
        IoAcquireRemoveLock(context.FileRundownLock, Irp);
        IoReleaseRemoveLockAndWait(context.FileRundownLock, Irp);
        Out<Integer> irql = new Out<>();
        while (true) {
            AcquireLock(ext, irql);
            Irp pending = CsqRemoveNextIrpLocked(ext, stack.FileObject);
            ReleaseLock(ext, irql.value);
            if (pending == null) {
                break;
            }
            CsqCompleteCanceledIrp(pending);
        }
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}
