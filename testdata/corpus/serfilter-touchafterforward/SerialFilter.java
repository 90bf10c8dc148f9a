package corpus.serfiltertouchafterforward;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The filter half of a serial enumerator: an upper filter on a serial port's stack that sees every
 * request on its way down. Requests it does not answer are sent down with a completion routine that
 * releases the remove lock taken in dispatch (and propagates the pending flag); creates are
 * serialized against enumeration; a close is sent down and waited for, then completed here; start
 * is sent down synchronously; power-up requests are hooked with a completion routine that marks the
 * enumeration dirty once the port is powered again.
 * Re-expressed from: microsoft/Windows-driver-samples/serial/serenum/serenum.c and power.c (structure and facts, not code).
 */
public final class SerialFilter {
    static final int TAG = 0x6e655253;
    static final int STATUS_CONTINUE_COMPLETION = STATUS_SUCCESS;
    static final int IOCTL_SERENUM_GET_PORT_NAME = 0x0037020c;
    static final int IRP_MN_SET_POWER = 0x02;
    static final int PowerDeviceD0 = 1;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        for (int i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++) {
            DriverObject.MajorFunction[i] = this::DispatchPassThrough;
        }
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::PnP;
        DriverObject.MajorFunction[IRP_MJ_POWER] = this::Power;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = this::IoCtl;
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        DriverObject.DriverUnload = this::DriverUnload;
        return STATUS_SUCCESS;
    }

    @Role(DriverUnload.class)
    void DriverUnload(DriverObject Driver) {
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject BusPhysicalDeviceObject) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, FilterExtension.class, null, FILE_DEVICE_SERIAL_PORT, 0, true,
                created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject deviceObject = created.value;
        FilterExtension deviceData = (FilterExtension) deviceObject.DeviceExtension;
        deviceData.Self = deviceObject;
        deviceData.UnderlyingPDO = BusPhysicalDeviceObject;
        deviceData.PortName = "COM1";
        IoInitializeRemoveLock(deviceData.RemoveLock, TAG, 1, 5);
        KeInitializeEvent(deviceData.CreateSemaphore, SynchronizationEvent, true);
        deviceData.TopOfStack = IoAttachDeviceToDeviceStack(deviceObject, BusPhysicalDeviceObject);
        if (deviceData.TopOfStack == null) {
            IoDeleteDevice(deviceObject);
            return STATUS_DEVICE_NOT_READY;
        }
        deviceObject.Flags |= deviceData.TopOfStack.Flags & (DO_BUFFERED_IO | DO_DIRECT_IO);
        deviceObject.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    @Role(IoCompletionRoutine.class)
    int SyncCompletion(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    /** Sends the IRP down and drops the remove lock when it comes back up. */
    @Role(IoCompletionRoutine.class)
    int CompletionRoutine(DeviceObject DeviceObject, Irp Irp, Object Context) {
        FilterExtension deviceData = (FilterExtension) DeviceObject.DeviceExtension;
        if (Irp.PendingReturned) {
            IoMarkIrpPending(Irp);
        }
        IoReleaseRemoveLock(deviceData.RemoveLock, Irp);
        return STATUS_CONTINUE_COMPLETION;
    }

    /** Forwards with CompletionRoutine; the caller holds the remove lock, which the completion routine releases. */
    private int FireAndReleaseRemoveLock(DeviceObject lower, Irp Irp) {
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::CompletionRoutine, null, true, true, true);
        return IoCallDriver(lower, Irp);
    }

    @Role(DriverDispatch.class)
    int DispatchPassThrough(DeviceObject DeviceObject, Irp Irp) {
        FilterExtension deviceData = (FilterExtension) DeviceObject.DeviceExtension;
        int rval = IoAcquireRemoveLock(deviceData.RemoveLock, Irp);
        if (!NT_SUCCESS(rval)) {
            Irp.IoStatus.Information = 0;
            Irp.IoStatus.Status = rval;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return rval;
        }
        return PassThroughWithoutAcquire(DeviceObject, Irp);
    }

    /** Passes a request down; creates wait for enumeration to be idle. The caller holds the remove lock. */
    private int PassThroughWithoutAcquire(DeviceObject DeviceObject, Irp Irp) {
        FilterExtension deviceData = (FilterExtension) DeviceObject.DeviceExtension;
        IoStackLocation irpStack = IoGetCurrentIrpStackLocation(Irp);
        int rval;
        if (irpStack.MajorFunction == IRP_MJ_CREATE) {
            rval = KeWaitForSingleObject(deviceData.CreateSemaphore, Executive, KernelMode, false, null);
            if (!NT_SUCCESS(rval)) {
                Irp.IoStatus.Status = rval;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                IoReleaseRemoveLock(deviceData.RemoveLock, Irp);
                return rval;
            }
            IoSkipCurrentIrpStackLocation(Irp);
            rval = IoCallDriver(deviceData.TopOfStack, Irp);
            if (NT_SUCCESS(rval) && Irp.IoStatus.Information == 0) {
                deviceData.EnumerationDirty = true;
            }
            KeSetEvent(deviceData.CreateSemaphore, IO_NO_INCREMENT, false);
            IoReleaseRemoveLock(deviceData.RemoveLock, Irp);
            return rval;
        }
        return FireAndReleaseRemoveLock(deviceData.TopOfStack, Irp);
    }

    @Role(DriverDispatch.class)
    int CreateClose(DeviceObject DeviceObject, Irp Irp) {
        FilterExtension deviceData = (FilterExtension) DeviceObject.DeviceExtension;
        int status = IoAcquireRemoveLock(deviceData.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Information = 0;
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoStackLocation irpStack = IoGetCurrentIrpStackLocation(Irp);
        switch (irpStack.MajorFunction) {
            case IRP_MJ_CREATE:
                status = PassThroughWithoutAcquire(DeviceObject, Irp); // expect: IrpUsedAfterCompletion
                break;
            case IRP_MJ_CLOSE: {
                // the close must be finished below before the filter lets go of the port
                KEvent completionEvent = new KEvent();
                IoCopyCurrentIrpStackLocationToNext(Irp);
                KeInitializeEvent(completionEvent, SynchronizationEvent, false);
                IoSetCompletionRoutine(Irp, this::SyncCompletion, completionEvent, true, true, true);
                status = IoCallDriver(deviceData.TopOfStack, Irp);
                if (status == STATUS_PENDING) {
                    KeWaitForSingleObject(completionEvent, Executive, KernelMode, false, null);
                }
                status = Irp.IoStatus.Status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                IoReleaseRemoveLock(deviceData.RemoveLock, Irp);
                break;
            }
            default:
                status = PassThroughWithoutAcquire(DeviceObject, Irp);
                break;
        }
        return status;
    }

    @Role(DriverDispatch.class)
    int IoCtl(DeviceObject DeviceObject, Irp Irp) {
        FilterExtension fdoData = (FilterExtension) DeviceObject.DeviceExtension;
        IoStackLocation irpStack = IoGetCurrentIrpStackLocation(Irp);
        int status = IoAcquireRemoveLock(fdoData.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Information = 0;
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        switch (irpStack.Parameters.DeviceIoControl.IoControlCode) {
            case IOCTL_SERENUM_GET_PORT_NAME: {
                String name = fdoData.PortName;
                int needed = 2 * (name.length() + 1);
                if (irpStack.Parameters.DeviceIoControl.OutputBufferLength < needed) {
                    status = STATUS_BUFFER_TOO_SMALL;
                    Irp.IoStatus.Information = 0;
                    break;
                }
                byte[] out = Irp.AssociatedIrp.SystemBuffer;
                for (int i = 0; i < name.length(); i++) {
                    out[2 * i] = (byte) name.charAt(i);
                    out[2 * i + 1] = 0;
                }
                out[needed - 2] = 0;
                out[needed - 1] = 0;
                Irp.IoStatus.Information = needed;
                status = STATUS_SUCCESS;
                break;
            }
            default:
                return PassThroughWithoutAcquire(DeviceObject, Irp);
        }
        IoReleaseRemoveLock(fdoData.RemoveLock, Irp);
        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    /** The port is powered again: the attached device may have changed while it was off. */
    @Role(IoCompletionRoutine.class)
    int FdoPowerComplete(DeviceObject DeviceObject, Irp Irp, Object Context) {
        FilterExtension data = (FilterExtension) DeviceObject.DeviceExtension;
        if (Irp.PendingReturned) {
            IoMarkIrpPending(Irp);
        }
        data.DeviceState = PowerDeviceD0;
        data.EnumerationDirty = true;
        IoReleaseRemoveLock(data.RemoveLock, Irp);
        return STATUS_CONTINUE_COMPLETION;
    }

    @Role(DriverDispatch.class)
    int Power(DeviceObject DeviceObject, Irp Irp) {
        FilterExtension data = (FilterExtension) DeviceObject.DeviceExtension;
        int status = IoAcquireRemoveLock(data.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        boolean hookit = stack.MinorFunction == IRP_MN_SET_POWER && data.DeviceState != PowerDeviceD0;
        IoCopyCurrentIrpStackLocationToNext(Irp);
        if (hookit) {
            IoSetCompletionRoutine(Irp, this::FdoPowerComplete, null, true, true, true);
            status = IoCallDriver(data.TopOfStack, Irp);
        } else {
            status = IoCallDriver(data.TopOfStack, Irp);
            IoReleaseRemoveLock(data.RemoveLock, Irp);
        }
        return status;
    }

    @Role(DriverDispatch.class)
    @Pageable
    int PnP(DeviceObject DeviceObject, Irp Irp) {
        PAGED_CODE();
        FilterExtension data = (FilterExtension) DeviceObject.DeviceExtension;
        IoStackLocation irpStack = IoGetCurrentIrpStackLocation(Irp);
        int status = IoAcquireRemoveLock(data.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Information = 0;
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        switch (irpStack.MinorFunction) {
            case IRP_MN_START_DEVICE: {
                KEvent event = new KEvent();
                KeInitializeEvent(event, NotificationEvent, false);
                IoCopyCurrentIrpStackLocationToNext(Irp);
                IoSetCompletionRoutine(Irp, this::SyncCompletion, event, true, true, true);
                status = IoCallDriver(data.TopOfStack, Irp);
                if (status == STATUS_PENDING) {
                    KeWaitForSingleObject(event, Executive, KernelMode, false, null);
                    status = Irp.IoStatus.Status;
                }
                if (NT_SUCCESS(status)) {
                    data.Started = true;
                    data.DeviceState = PowerDeviceD0;
                    data.EnumerationDirty = true;
                }
                Irp.IoStatus.Status = status;
                Irp.IoStatus.Information = 0;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                IoReleaseRemoveLock(data.RemoveLock, Irp);
                return status;
            }
            case IRP_MN_REMOVE_DEVICE:
                data.Removed = true;
                IoReleaseRemoveLockAndWait(data.RemoveLock, Irp);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                status = IoCallDriver(data.TopOfStack, Irp);
                IoDetachDevice(data.TopOfStack);
                IoDeleteDevice(DeviceObject);
                return status;
            case IRP_MN_STOP_DEVICE:
                data.Started = false;
                break;
            default:
                break;
        }
        IoSkipCurrentIrpStackLocation(Irp);
        status = IoCallDriver(data.TopOfStack, Irp);
        IoReleaseRemoveLock(data.RemoveLock, Irp);
        return status;
    }
}
