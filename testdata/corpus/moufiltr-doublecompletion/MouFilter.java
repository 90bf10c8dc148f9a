package corpus.moufiltrdoublecompletion;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * An upper filter for the mouse class stack. It passes everything down untouched except
 * IOCTL_INTERNAL_MOUSE_CONNECT, where it saves the class driver's connect data and substitutes its
 * own service callback, so that every batch of packets the port driver reports from its DPC goes
 * through the filter (which may drop, change or insert packets) before it reaches the class driver.
 * PnP start is sent down first and waited for with a completion routine; removal detaches and
 * deletes.
 * Re-expressed from: microsoft/Windows-driver-samples/input/moufiltr/moufiltr.c (structure and facts, not code).
 */
public final class MouFilter {
    static final int FILE_DEVICE_MOUSE = 0x0000000f;
    static final int IOCTL_INTERNAL_MOUSE_CONNECT = 0x000f0203;
    static final int IOCTL_INTERNAL_MOUSE_DISCONNECT = 0x000f0403;
    static final int STATUS_SHARING_VIOLATION = 0xC0000043;
    static final int STATUS_NOT_IMPLEMENTED = 0xC0000002;
    static final int MOUSE_LEFT_BUTTON_DOWN = 0x0001;
    static final int MOUSE_LEFT_BUTTON_UP = 0x0002;
    static final int MOUSE_RIGHT_BUTTON_DOWN = 0x0004;
    static final int MOUSE_RIGHT_BUTTON_UP = 0x0008;
    /** Swap the primary and secondary buttons (a setting the filter would read from the registry). */
    static boolean SwapButtons = true;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        for (int i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++) {
            DriverObject.MajorFunction[i] = this::DispatchPassThrough;
        }
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::PnP;
        DriverObject.MajorFunction[IRP_MJ_POWER] = this::Power;
        DriverObject.MajorFunction[IRP_MJ_INTERNAL_DEVICE_CONTROL] = this::InternIoCtl;
        DriverObject.DriverUnload = this::Unload;
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject Driver, DeviceObject PDO) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(Driver, MouFilterExtension.class, null, FILE_DEVICE_MOUSE, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject device = created.value;
        MouFilterExtension devExt = (MouFilterExtension) device.DeviceExtension;
        devExt.TopOfStack = IoAttachDeviceToDeviceStack(device, PDO);
        if (devExt.TopOfStack == null) {
            IoDeleteDevice(device);
            return STATUS_DEVICE_NOT_READY;
        }
        devExt.Self = device;
        devExt.PDO = PDO;
        devExt.Started = false;
        devExt.Removed = false;
        devExt.SurpriseRemoved = false;
        KeInitializeSpinLock(devExt.StatsLock);
        device.Flags |= devExt.TopOfStack.Flags & DO_BUFFERED_IO;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return status;
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject Driver) {
    }

    @Role(DriverDispatch.class)
    int CreateClose(DeviceObject DeviceObject, Irp Irp) {
        MouFilterExtension devExt = (MouFilterExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status = Irp.IoStatus.Status;
        if (stack.MajorFunction == IRP_MJ_CREATE && devExt.UpperConnectData.ClassService == null) {
            // nobody connected: the stack is not ready for opens
            status = STATUS_INVALID_DEVICE_REQUEST;
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        return DispatchPassThrough(DeviceObject, Irp);
    }

    @Role(DriverDispatch.class)
    int DispatchPassThrough(DeviceObject DeviceObject, Irp Irp) {
        MouFilterExtension devExt = (MouFilterExtension) DeviceObject.DeviceExtension;
        IoSkipCurrentIrpStackLocation(Irp);
        return IoCallDriver(devExt.TopOfStack, Irp);
    }

    @Role(DriverDispatch.class)
    int InternIoCtl(DeviceObject DeviceObject, Irp Irp) {
        MouFilterExtension devExt = (MouFilterExtension) DeviceObject.DeviceExtension;
        IoStackLocation irpStack = IoGetCurrentIrpStackLocation(Irp);
        int status = STATUS_SUCCESS;
        switch (irpStack.Parameters.DeviceIoControl.IoControlCode) {
            case IOCTL_INTERNAL_MOUSE_CONNECT: {
                // only one class driver may connect, and only with a whole CONNECT_DATA
                if (devExt.UpperConnectData.ClassService != null) {
                    status = STATUS_SHARING_VIOLATION;
                    Irp.IoStatus.Status = status;
                    IoCompleteRequest(Irp, IO_NO_INCREMENT);
                    break;
                }
                ConnectData connectData = (ConnectData) Irp.Tail.Overlay.DriverContext[0];
                if (connectData == null) {
                    status = STATUS_INVALID_PARAMETER;
                    break;
                }
                devExt.UpperConnectData.ClassDeviceObject = connectData.ClassDeviceObject;
                devExt.UpperConnectData.ClassService = connectData.ClassService;
                // hook ourselves in: the port driver will call us, and we call the class driver
                connectData.ClassDeviceObject = devExt.Self;
                connectData.ClassService = this::ServiceCallback;
                break;
            }
            case IOCTL_INTERNAL_MOUSE_DISCONNECT:
                // the class driver never sends this; undoing the hook is not supported
                status = STATUS_NOT_IMPLEMENTED;
                break;
            default:
                break;
        }
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status; // expect: IrpUsedAfterCompletion
            Irp.IoStatus.Information = 0; // expect: IrpUsedAfterCompletion
            IoCompleteRequest(Irp, IO_NO_INCREMENT); // expect: DoubleCompletion
            return status;
        }
        return DispatchPassThrough(DeviceObject, Irp);
    }

    @Role(IoCompletionRoutine.class)
    int StartComplete(DeviceObject DeviceObject, Irp Irp, Object Context) {
        if (Irp.PendingReturned) {
            KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        }
        // keep the IRP: PnP completes it once the start is known
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    @Role(DriverDispatch.class)
    @Pageable
    int PnP(DeviceObject DeviceObject, Irp Irp) {
        PAGED_CODE();
        MouFilterExtension devExt = (MouFilterExtension) DeviceObject.DeviceExtension;
        IoStackLocation irpStack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (irpStack.MinorFunction) {
            case IRP_MN_START_DEVICE: {
                // the lower drivers start first; we wait for them to finish
                KEvent event = new KEvent();
                KeInitializeEvent(event, NotificationEvent, false);
                IoCopyCurrentIrpStackLocationToNext(Irp);
                IoSetCompletionRoutine(Irp, this::StartComplete, event, true, true, true);
                status = IoCallDriver(devExt.TopOfStack, Irp);
                if (status == STATUS_PENDING) {
                    KeWaitForSingleObject(event, Executive, KernelMode, false, null);
                    status = Irp.IoStatus.Status;
                }
                if (NT_SUCCESS(status)) {
                    devExt.Started = true;
                    devExt.Removed = false;
                    devExt.SurpriseRemoved = false;
                }
                Irp.IoStatus.Status = status;
                Irp.IoStatus.Information = 0;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                break;
            }
            case IRP_MN_SURPRISE_REMOVAL:
                devExt.SurpriseRemoved = true;
                IoSkipCurrentIrpStackLocation(Irp);
                status = IoCallDriver(devExt.TopOfStack, Irp);
                break;
            case IRP_MN_REMOVE_DEVICE:
                devExt.Removed = true;
                IoSkipCurrentIrpStackLocation(Irp);
                IoCallDriver(devExt.TopOfStack, Irp);
                IoDetachDevice(devExt.TopOfStack);
                IoDeleteDevice(DeviceObject);
                status = STATUS_SUCCESS;
                break;
            default:
                IoSkipCurrentIrpStackLocation(Irp);
                status = IoCallDriver(devExt.TopOfStack, Irp);
                break;
        }
        return status;
    }

    @Role(DriverDispatch.class)
    int Power(DeviceObject DeviceObject, Irp Irp) {
        MouFilterExtension devExt = (MouFilterExtension) DeviceObject.DeviceExtension;
        IoSkipCurrentIrpStackLocation(Irp);
        return IoCallDriver(devExt.TopOfStack, Irp);
    }

    /**
     * Called by the port driver's DPC with a run of packets. The filter may change them (here: swap
     * the buttons for a left-handed user) and drop packets that carry nothing, then hands the run
     * to the class driver and reports how many the class driver consumed.
     */
    @IrqlRequires(DISPATCH_LEVEL)
    void ServiceCallback(DeviceObject DeviceObject, MouseInputData[] Packets, int InputDataStart, int InputDataEnd,
            Out<Integer> InputDataConsumed) {
        MouFilterExtension devExt = (MouFilterExtension) DeviceObject.DeviceExtension;
        int kept = InputDataStart;
        int dropped = 0;
        for (int i = InputDataStart; i < InputDataEnd; i++) {
            MouseInputData packet = Packets[i];
            if (packet.ButtonFlags == 0 && packet.LastX == 0 && packet.LastY == 0) {
                dropped++;
                continue;
            }
            if (SwapButtons) {
                packet.ButtonFlags = SwapButtonFlags(packet.ButtonFlags);
            }
            Packets[kept++] = packet;
        }
        KeAcquireSpinLockAtDpcLevel(devExt.StatsLock);
        devExt.PacketsSeen += InputDataEnd - InputDataStart;
        devExt.PacketsDropped += dropped;
        KeReleaseSpinLockFromDpcLevel(devExt.StatsLock);

        Out<Integer> consumed = new Out<>(0);
        devExt.UpperConnectData.ClassService.ServiceCallback(devExt.UpperConnectData.ClassDeviceObject, Packets,
                InputDataStart, kept, consumed);
        // the dropped packets count as consumed, or the port driver would report them again
        InputDataConsumed.value = consumed.value + dropped;
    }

    static int SwapButtonFlags(int flags) {
        int swapped = flags & ~(MOUSE_LEFT_BUTTON_DOWN | MOUSE_LEFT_BUTTON_UP | MOUSE_RIGHT_BUTTON_DOWN
                | MOUSE_RIGHT_BUTTON_UP);
        if ((flags & MOUSE_LEFT_BUTTON_DOWN) != 0) {
            swapped |= MOUSE_RIGHT_BUTTON_DOWN;
        }
        if ((flags & MOUSE_LEFT_BUTTON_UP) != 0) {
            swapped |= MOUSE_RIGHT_BUTTON_UP;
        }
        if ((flags & MOUSE_RIGHT_BUTTON_DOWN) != 0) {
            swapped |= MOUSE_LEFT_BUTTON_DOWN;
        }
        if ((flags & MOUSE_RIGHT_BUTTON_UP) != 0) {
            swapped |= MOUSE_LEFT_BUTTON_UP;
        }
        return swapped;
    }
}
