package corpus.eventtimerspinlocksafe;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

import java.util.ArrayList;
import java.util.List;

/**
 * A software notification device: an application asks to be told after a delay, either by a
 * pended IOCTL that is completed when the time is up or by an event that is signalled. Every
 * request gets its own record with a KTIMER and a KDPC; the timer's CustomDpc takes the record off
 * the list under the queue lock and completes the IRP (with the lock dropped) or sets the event.
 * A cancel routine and the cleanup dispatch race with the timer DPC and settle ownership of the
 * record through KeCancelTimer and IoSetCancelRoutine.
 * Re-expressed from: microsoft/Windows-driver-samples/general/event/wdm/event.c (structure and facts, not code).
 */
public final class EventDriver {
    static final int IRP_BASED = 0;
    static final int EVENT_BASED = 1;
    static final int TAG = 0x746e7645;
    static final int STATUS_NOT_IMPLEMENTED = 0xC0000002;
    /** CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS). */
    static final int IOCTL_REGISTER_EVENT = 0x00222000;
    /** Layout of the REGISTER_EVENT input: type (4 bytes), due time in 100 ns units (8 bytes). */
    static final int SIZEOF_REGISTER_EVENT = 12;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, EventExtension.class, new UnicodeString("\\Device\\Event_Sample"),
                FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLEANUP] = this::Cleanup;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = this::DispatchIoControl;
        DriverObject.DriverUnload = this::Unload;
        DeviceObject device = created.value;
        EventExtension ext = (EventExtension) device.DeviceExtension;
        KeInitializeSpinLock(ext.QueueLock);
        ext.Self = device;
        device.Flags |= DO_BUFFERED_IO;
        return STATUS_SUCCESS;
    }

    @Role(DriverUnload.class)
    @Pageable
    void Unload(DriverObject DriverObject) {
        PAGED_CODE();
        IoDeleteDevice(DriverObject.DeviceObject);
    }

    @Role(DriverDispatch.class)
    @Pageable
    int CreateClose(DeviceObject DeviceObject, Irp Irp) {
        PAGED_CODE();
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (stack.MajorFunction) {
            case IRP_MJ_CREATE: {
                EventExtension.FileContext context = ExAllocatePoolWithTag(NonPagedPoolNx,
                        EventExtension.FileContext.class, TAG);
                if (context == null) {
                    status = STATUS_INSUFFICIENT_RESOURCES;
                    break;
                }
                IoInitializeRemoveLock(context.FileRundownLock, TAG, 0, 0);
                stack.FileObject.FsContext = context;
                status = STATUS_SUCCESS;
                break;
            }
            case IRP_MJ_CLOSE:
                ExFreePoolWithTag(stack.FileObject.FsContext, TAG);
                status = STATUS_SUCCESS;
                break;
            default:
                status = STATUS_NOT_IMPLEMENTED;
                break;
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    /** Disarms every record of the closing handle; the IRPs whose cancel routine we won are completed after the lock is dropped. */
    @Role(DriverDispatch.class)
    int Cleanup(DeviceObject DeviceObject, Irp Irp) {
        EventExtension ext = (EventExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        EventExtension.FileContext context = (EventExtension.FileContext) stack.FileObject.FsContext;
        IoAcquireRemoveLock(context.FileRundownLock, Irp);
        IoReleaseRemoveLockAndWait(context.FileRundownLock, Irp);

        List<Irp> cleanupList = new ArrayList<>();
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(ext.QueueLock, oldIrql);
        for (int i = ext.EventQueue.size() - 1; i >= 0; i--) {
            EventExtension.NotifyRecord record = ext.EventQueue.get(i);
            if (record.Owner != stack.FileObject || !KeCancelTimer(record.Timer)) {
                continue;
            }
            ext.EventQueue.remove(i);
            record.Linked = false;
            if (record.Type == IRP_BASED) {
                if (IoSetCancelRoutine(record.PendingIrp, null) != null) {
                    cleanupList.add(record.PendingIrp);
                    ExFreePoolWithTag(record, TAG);
                } else {
                    // the cancel routine is about to run and will free the record
                    record.CancelRoutineFreeMemory = true;
                }
            } else {
                ExFreePoolWithTag(record, TAG);
            }
        }
        KeReleaseSpinLock(ext.QueueLock, oldIrql.value);

        while (!cleanupList.isEmpty()) {
            Irp pending = cleanupList.remove(0);
            pending.Tail.Overlay.DriverContext[3] = null;
            pending.IoStatus.Information = 0;
            pending.IoStatus.Status = STATUS_CANCELLED;
            IoCompleteRequest(pending, IO_NO_INCREMENT);
        }
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int DispatchIoControl(DeviceObject DeviceObject, Irp Irp) {
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        EventExtension.FileContext context = (EventExtension.FileContext) stack.FileObject.FsContext;
        int status = IoAcquireRemoveLock(context.FileRundownLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        switch (stack.Parameters.DeviceIoControl.IoControlCode) {
            case IOCTL_REGISTER_EVENT:
                if (stack.Parameters.DeviceIoControl.InputBufferLength < SIZEOF_REGISTER_EVENT) {
                    status = STATUS_INVALID_PARAMETER;
                    break;
                }
                int type = ReadInt(Irp.AssociatedIrp.SystemBuffer, 0);
                if (type == IRP_BASED) {
                    status = RegisterIrpBasedNotification(DeviceObject, Irp);
                } else if (type == EVENT_BASED) {
                    status = RegisterEventBasedNotification(DeviceObject, Irp);
                } else {
                    status = STATUS_INVALID_PARAMETER;
                }
                break;
            default:
                status = STATUS_NOT_IMPLEMENTED;
                break;
        }
        if (status != STATUS_PENDING) {
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
        }
        IoReleaseRemoveLock(context.FileRundownLock, Irp);
        return status;
    }

    static int ReadInt(byte[] buffer, int offset) {
        return (buffer[offset] & 0xff) | (buffer[offset + 1] & 0xff) << 8 | (buffer[offset + 2] & 0xff) << 16
                | (buffer[offset + 3] & 0xff) << 24;
    }

    /** Due time from the request, as a relative (negative) interval. */
    static long DueTime(byte[] buffer) {
        long due = (ReadInt(buffer, 4) & 0xffffffffL) | ((long) ReadInt(buffer, 8) << 32);
        return due > 0 ? -due : due;
    }

    /** Arms a record that completes this IRP when the timer fires; returns STATUS_PENDING once the IRP is queued. */
    private int RegisterIrpBasedNotification(DeviceObject DeviceObject, Irp Irp) {
        EventExtension ext = (EventExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        EventExtension.NotifyRecord record = ExAllocatePoolWithTag(NonPagedPool, EventExtension.NotifyRecord.class,
                TAG);
        if (record == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        record.Owner = stack.FileObject;
        record.Extension = ext;
        record.Type = IRP_BASED;
        record.PendingIrp = Irp;
        long due = DueTime(Irp.AssociatedIrp.SystemBuffer);
        KeInitializeDpc(record.Dpc, this::CustomTimerDpc, record);
        KeInitializeTimer(record.Timer);

        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(ext.QueueLock, oldIrql);
        IoSetCancelRoutine(Irp, this::CancelRoutine);
        if (Irp.Cancel) {
            if (IoSetCancelRoutine(Irp, null) != null) {
                KeReleaseSpinLock(ext.QueueLock, oldIrql.value);
                ExFreePoolWithTag(record, TAG);
                return STATUS_CANCELLED;
            }
            // the cancel routine owns the IRP now; it waits for the lock and takes the record off the list
        }
        IoMarkIrpPending(Irp);
        ext.EventQueue.add(record);
        record.Linked = true;
        record.CancelRoutineFreeMemory = false;
        Irp.Tail.Overlay.DriverContext[3] = record;
        KeSetTimer(record.Timer, due, record.Dpc);
        KeReleaseSpinLock(ext.QueueLock, oldIrql.value);
        return STATUS_PENDING;
    }

    /** Arms a record that signals the caller's event; the IOCTL itself completes at once. */
    private int RegisterEventBasedNotification(DeviceObject DeviceObject, Irp Irp) {
        EventExtension ext = (EventExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        EventExtension.NotifyRecord record = ExAllocatePoolWithTag(NonPagedPool, EventExtension.NotifyRecord.class,
                TAG);
        if (record == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        record.Owner = stack.FileObject;
        record.Extension = ext;
        record.Type = EVENT_BASED;
        record.Event = new KEvent();
        KeInitializeEvent(record.Event, NotificationEvent, false);
        long due = DueTime(Irp.AssociatedIrp.SystemBuffer);
        KeInitializeDpc(record.Dpc, this::CustomTimerDpc, record);
        KeInitializeTimer(record.Timer);

        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(ext.QueueLock, oldIrql);
        ext.EventQueue.add(record);
        record.Linked = true;
        KeReleaseSpinLock(ext.QueueLock, oldIrql.value);
        KeSetTimer(record.Timer, due, record.Dpc);
        return STATUS_SUCCESS;
    }

    @Role(DriverCancel.class)
    void CancelRoutine(DeviceObject DeviceObject, Irp Irp) {
        EventExtension ext = (EventExtension) DeviceObject.DeviceExtension;
        IoReleaseCancelSpinLock(Irp.CancelIrql);

        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(ext.QueueLock, oldIrql);
        EventExtension.NotifyRecord record = (EventExtension.NotifyRecord) Irp.Tail.Overlay.DriverContext[3];
        if (record.Linked) {
            ext.EventQueue.remove(record);
            record.Linked = false;
        }
        record.PendingIrp = null;
        if (KeCancelTimer(record.Timer)) {
            ExFreePoolWithTag(record, TAG);
        } else if (record.CancelRoutineFreeMemory) {
            // cleanup already unlinked it and left the memory to us
            ExFreePoolWithTag(record, TAG);
        }
        // otherwise the timer DPC is running and frees the record
        KeReleaseSpinLock(ext.QueueLock, oldIrql.value);

        Irp.Tail.Overlay.DriverContext[3] = null;
        Irp.IoStatus.Status = STATUS_CANCELLED;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }

    /** Finishes a notification IRP. */
    private void CompleteNotification(Irp irp, int status) {
        irp.IoStatus.Status = status;
        irp.IoStatus.Information = 0;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }

    @Role(KDeferredRoutine.class)
    void CustomTimerDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        EventExtension.NotifyRecord record = (EventExtension.NotifyRecord) DeferredContext;
        EventExtension ext = record.Extension;
        boolean freeRecord = true;

        KeAcquireSpinLockAtDpcLevel(ext.QueueLock);
        if (record.Linked) {
            ext.EventQueue.remove(record);
            record.Linked = false;
        }
        if (record.Type == IRP_BASED) {
            Irp irp = record.PendingIrp;
            if (irp != null) {
                if (IoSetCancelRoutine(irp, null) != null) {
                    irp.Tail.Overlay.DriverContext[3] = null;
                    CompleteNotification(irp, STATUS_SUCCESS); // expect: SpinLockSafe
                } else {
                    // lost the race with cancellation: the cancel routine frees the record
                    record.CancelRoutineFreeMemory = true;
                    freeRecord = false;
                }
            }
        } else {
            KeSetEvent(record.Event, 0, false);
        }
        KeReleaseSpinLockFromDpcLevel(ext.QueueLock);
        if (freeRecord) {
            ExFreePoolWithTag(record, TAG);
        }
    }
}
