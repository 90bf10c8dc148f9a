package corpus.sermouseerrlogreuse;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * Serial (Microsoft protocol) mouse port driver on a 8250/16550 UART. At start it resets the line to
 * 1200 baud 7N1, toggles DTR/RTS and reads the mouse's identification ('M', 'M3', 'MZ'). The ISR
 * assembles three-byte packets (sync bit 0x40; a fourth byte carries the middle button), turns
 * them into reports on a port queue and requests the DpcForIsr; the DPC takes the queue out inside
 * a SynchCritSection and hands it to the mouse class driver's service callback, retrying from a
 * timer when the class driver could not take everything. Overruns are logged from a CustomDpc.
 * Re-expressed from: reactos/reactos/drivers/input/sermouse (sermouse.c interrupt-driven version, readmouse.c packet decoding) (structure and facts, not code).
 */
@HardwareId("SIM\\SERMOUSE")
public final class SerMouseDriver {
    static final int RBR = 0;
    static final int IER = 1;
    static final int IIR = 2;
    static final int LCR = 3;
    static final int MCR = 4;
    static final int LSR = 5;
    static final int IIR_NO_INTERRUPT = 0x01;
    static final int IIR_RDA = 0x04;
    static final int LSR_DR = 0x01;
    static final int LSR_OE = 0x02;
    static final int MCR_DTR = 0x01;
    static final int MCR_RTS = 0x02;
    static final int MCR_OUT2 = 0x08;

    static final int MOUSE_TYPE_NONE = 0;
    static final int MOUSE_TYPE_MICROSOFT = 1;
    static final int MOUSE_TYPE_LOGITECH = 2;
    static final int MOUSE_TYPE_WHEELZ = 3;

    static final int LEFT_BUTTON_MASK = 0x20;
    static final int LEFT_BUTTON_SHIFT = 5;
    static final int RIGHT_BUTTON_MASK = 0x10;
    static final int RIGHT_BUTTON_SHIFT = 3;
    static final int MIDDLE_BUTTON_MASK = 0x20;
    static final int MIDDLE_BUTTON_SHIFT = 3;
    static final int MOUSE_BUTTON_LEFT = 0x01;
    static final int MOUSE_BUTTON_RIGHT = 0x02;
    static final int MOUSE_BUTTON_MIDDLE = 0x04;
    static final int MOUSE_LEFT_BUTTON_DOWN = 0x0001;
    static final int MOUSE_LEFT_BUTTON_UP = 0x0002;
    static final int MOUSE_RIGHT_BUTTON_DOWN = 0x0004;
    static final int MOUSE_RIGHT_BUTTON_UP = 0x0008;
    static final int MOUSE_MIDDLE_BUTTON_DOWN = 0x0010;
    static final int MOUSE_MIDDLE_BUTTON_UP = 0x0020;

    static final int IOCTL_INTERNAL_MOUSE_CONNECT = 0x000f0203;
    static final int IOCTL_INTERNAL_MOUSE_ENABLE = 0x000f0403;
    static final int IOCTL_INTERNAL_MOUSE_DISABLE = 0x000f0803;
    static final int IOCTL_MOUSE_QUERY_ATTRIBUTES = 0x000f0000;
    static final int SERMOUSE_OVERRUN = 0xC0010007;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::SerMouseAddDevice;
        DriverObject.DriverUnload = this::SerMouseUnload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::SerMouseCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::SerMouseCreateClose;
        DriverObject.MajorFunction[IRP_MJ_INTERNAL_DEVICE_CONTROL] = this::SerMouseInternalDeviceControl;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::SerMousePnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int SerMouseAddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, MouseExtension.class, null, FILE_DEVICE_UNKNOWN, 0, true, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        MouseExtension ext = (MouseExtension) fdo.DeviceExtension;
        ext.Self = fdo;
        for (int i = 0; i < ext.InputData.length; i++) {
            ext.InputData[i] = new MouseInputData();
        }
        IoInitializeDpcRequest(fdo, this::SerMouseIsrDpc);
        KeInitializeDpc(ext.ErrorLogDpc, this::SerMouseErrorLogDpc, ext);
        KeInitializeDpc(ext.RetryDpc, this::SerMouseRetryDpc, fdo);
        KeInitializeTimer(ext.DataConsumptionTimer);
        ext.LowerDevice = IoAttachDeviceToDeviceStack(fdo, Pdo);
        if (ext.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_DEVICE_NOT_READY;
        }
        fdo.Flags |= DO_BUFFERED_IO;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int SerMouseCreateClose(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    // ------------------------------------------------------------------ class driver interface

    @Role(DriverDispatch.class)
    int SerMouseInternalDeviceControl(DeviceObject DeviceObject, Irp Irp) {
        MouseExtension ext = (MouseExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        Irp.IoStatus.Information = 0;
        switch (stack.Parameters.DeviceIoControl.IoControlCode) {
            case IOCTL_INTERNAL_MOUSE_CONNECT:
                if (ext.Connect != null) {
                    status = STATUS_DEVICE_BUSY;
                } else if (!(Irp.Tail.Overlay.DriverContext[0] instanceof ConnectData)) {
                    status = STATUS_INVALID_PARAMETER;
                } else {
                    ext.Connect = (ConnectData) Irp.Tail.Overlay.DriverContext[0];
                    // the port queue starts empty for the new class driver
                    KeSynchronizeExecution(ext.Interrupt, this::SerMouseInitializeDataQueue, ext);
                    status = STATUS_SUCCESS;
                }
                break;
            case IOCTL_INTERNAL_MOUSE_ENABLE:
                KeSynchronizeExecution(ext.Interrupt, this::SerMouseEnableDisable, new Object[] {ext, Boolean.TRUE});
                status = STATUS_SUCCESS;
                break;
            case IOCTL_INTERNAL_MOUSE_DISABLE:
                KeSynchronizeExecution(ext.Interrupt, this::SerMouseEnableDisable, new Object[] {ext, Boolean.FALSE});
                status = STATUS_SUCCESS;
                break;
            case IOCTL_MOUSE_QUERY_ATTRIBUTES:
                if (stack.Parameters.DeviceIoControl.OutputBufferLength < 8) {
                    status = STATUS_BUFFER_TOO_SMALL;
                } else {
                    byte[] out = Irp.AssociatedIrp.SystemBuffer;
                    out[0] = 1; // MOUSE_SERIAL_HARDWARE
                    out[2] = (byte) ext.NumberOfButtons;
                    out[4] = (byte) ext.SampleRate;
                    out[6] = (byte) ext.InputData.length;
                    Irp.IoStatus.Information = 8;
                    status = STATUS_SUCCESS;
                }
                break;
            default:
                status = STATUS_INVALID_DEVICE_REQUEST;
                break;
        }
        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    @Role(KSynchronizeRoutine.class)
    boolean SerMouseInitializeDataQueue(Object Context) {
        MouseExtension ext = (MouseExtension) Context;
        ext.DataIn = 0;
        ext.InputCount = 0;
        ext.PacketBufferPosition = 0;
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean SerMouseEnableDisable(Object Context) {
        Object[] args = (Object[]) Context;
        MouseExtension ext = (MouseExtension) args[0];
        if ((Boolean) args[1]) {
            ext.EnableCount++;
        } else if (ext.EnableCount > 0) {
            ext.EnableCount--;
        }
        return true;
    }

    // ------------------------------------------------------------------ interrupt path

    @Role(KServiceRoutine.class)
    boolean SerMouseInterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        MouseExtension ext = (MouseExtension) fdo.DeviceExtension;
        int iir = READ_PORT_UCHAR(ext.Port + IIR) & 0xff;
        if ((iir & IIR_NO_INTERRUPT) != 0) {
            return false;
        }
        if ((iir & IIR_RDA) == 0) {
            // line or modem status: reading LSR clears it
            READ_PORT_UCHAR(ext.Port + LSR);
            return true;
        }
        boolean queued = false;
        int lsr;
        while (((lsr = READ_PORT_UCHAR(ext.Port + LSR) & 0xff) & LSR_DR) != 0) {
            int value = READ_PORT_UCHAR(ext.Port + RBR) & 0xff;
            if ((lsr & LSR_OE) != 0) {
                ext.OverflowCount++;
                KeInsertQueueDpc(ext.ErrorLogDpc, null, null);
            }
            if (ext.EnableCount == 0) {
                continue;
            }
            if (SerMouseProcessByte(ext, value)) {
                queued = true;
            }
        }
        if (queued) {
            IoRequestDpc(fdo, null, null);
        }
        return true;
    }

    /**
     * Feeds one byte to the packet decoder; returns true when a report was queued. DIRQL.
     */
    private boolean SerMouseProcessByte(MouseExtension ext, int value) {
        if ((value & 0x40) != 0) {
            ext.PacketBufferPosition = 0;
        }
        if (ext.PacketBufferPosition >= ext.PacketBuffer.length) {
            return false;
        }
        ext.PacketBuffer[ext.PacketBufferPosition] = (byte) (value & 0x7f);
        ext.PacketBufferPosition++;
        if (ext.PacketBufferPosition < 3) {
            return false;
        }
        if (ext.InputCount == ext.InputData.length) {
            ext.OverflowCount++;
            return false;
        }
        MouseInputData input = ext.InputData[ext.DataIn];
        byte[] p = ext.PacketBuffer;
        if (ext.PacketBufferPosition == 3) {
            input.LastX = (byte) ((p[1] & 0x3f) | ((p[0] & 0x03) << 6));
            input.LastY = (byte) ((p[2] & 0x3f) | ((p[0] & 0x0c) << 4));
            input.RawButtons = (ext.PreviousButtons & MOUSE_BUTTON_MIDDLE)
                    | ((p[0] & LEFT_BUTTON_MASK) >> LEFT_BUTTON_SHIFT)
                    | ((p[0] & RIGHT_BUTTON_MASK) >> RIGHT_BUTTON_SHIFT);
        } else {
            ext.PacketBufferPosition = 0;
            int middle = (p[3] & MIDDLE_BUTTON_MASK) >> MIDDLE_BUTTON_SHIFT;
            if ((middle ^ (ext.PreviousButtons & MOUSE_BUTTON_MIDDLE)) == 0) {
                return false;
            }
            input.RawButtons = ext.PreviousButtons ^ MOUSE_BUTTON_MIDDLE;
            input.LastX = 0;
            input.LastY = 0;
        }
        input.ButtonFlags = SerMouseButtonFlags(ext.PreviousButtons, input.RawButtons, ext.NumberOfButtons);
        ext.PreviousButtons = input.RawButtons;
        ext.DataIn = (ext.DataIn + 1) % ext.InputData.length;
        ext.InputCount++;
        return true;
    }

    private static int SerMouseButtonFlags(int previous, int now, int buttons) {
        int difference = previous ^ now;
        int flags = 0;
        if ((difference & MOUSE_BUTTON_LEFT) != 0 && buttons >= 1) {
            flags |= (now & MOUSE_BUTTON_LEFT) != 0 ? MOUSE_LEFT_BUTTON_DOWN : MOUSE_LEFT_BUTTON_UP;
        }
        if ((difference & MOUSE_BUTTON_RIGHT) != 0 && buttons >= 2) {
            flags |= (now & MOUSE_BUTTON_RIGHT) != 0 ? MOUSE_RIGHT_BUTTON_DOWN : MOUSE_RIGHT_BUTTON_UP;
        }
        if ((difference & MOUSE_BUTTON_MIDDLE) != 0 && buttons >= 3) {
            flags |= (now & MOUSE_BUTTON_MIDDLE) != 0 ? MOUSE_MIDDLE_BUTTON_DOWN : MOUSE_MIDDLE_BUTTON_UP;
        }
        return flags;
    }

    /** Copies the queued reports out, oldest first, and empties the port queue. DIRQL. */
    @Role(KSynchronizeRoutine.class)
    boolean SerMouseGetDataQueue(Object Context) {
        MouseExtension.QueueSnapshot snap = (MouseExtension.QueueSnapshot) Context;
        MouseExtension ext = snap.Extension;
        snap.Count = ext.InputCount;
        snap.Data = new MouseInputData[snap.Count];
        int out = (ext.DataIn - ext.InputCount + ext.InputData.length) % ext.InputData.length;
        for (int i = 0; i < snap.Count; i++) {
            MouseInputData from = ext.InputData[(out + i) % ext.InputData.length];
            MouseInputData copy = new MouseInputData();
            copy.ButtonFlags = from.ButtonFlags;
            copy.RawButtons = from.RawButtons;
            copy.LastX = from.LastX;
            copy.LastY = from.LastY;
            snap.Data[i] = copy;
        }
        ext.InputCount = 0;
        return true;
    }

    /** Puts back what the class driver did not consume, in front of what arrived meanwhile. DIRQL. */
    @Role(KSynchronizeRoutine.class)
    boolean SerMouseRequeue(Object Context) {
        MouseExtension.QueueSnapshot snap = (MouseExtension.QueueSnapshot) Context;
        MouseExtension ext = snap.Extension;
        int room = ext.InputData.length - ext.InputCount;
        int keep = Math.min(room, snap.Count - snap.Delta);
        int out = (ext.DataIn - ext.InputCount + ext.InputData.length) % ext.InputData.length;
        for (int i = keep - 1; i >= 0; i--) {
            out = (out - 1 + ext.InputData.length) % ext.InputData.length;
            ext.InputData[out] = snap.Data[snap.Delta + i];
        }
        ext.InputCount += keep;
        return true;
    }

    @Role(IoDpcRoutine.class)
    void SerMouseIsrDpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        MouseExtension ext = (MouseExtension) DeviceObject.DeviceExtension;
        ConnectData connect = ext.Connect;
        if (connect == null) {
            return;
        }
        MouseExtension.QueueSnapshot snap = new MouseExtension.QueueSnapshot();
        snap.Extension = ext;
        KeSynchronizeExecution(ext.Interrupt, this::SerMouseGetDataQueue, snap);
        if (snap.Count == 0) {
            return;
        }
        Out<Integer> consumed = new Out<>(0);
        connect.ClassService.ServiceCallback(connect.ClassDeviceObject, snap.Data, snap.Count, consumed);
        if (consumed.value < snap.Count) {
            // the class driver's queue is full: keep the rest and try again in 10 ms
            snap.Delta = consumed.value;
            KeSynchronizeExecution(ext.Interrupt, this::SerMouseRequeue, snap);
            KeSetTimer(ext.DataConsumptionTimer, -100_000L, ext.RetryDpc);
        }
    }

    @Role(KDeferredRoutine.class)
    void SerMouseRetryDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        DeviceObject fdo = (DeviceObject) DeferredContext;
        SerMouseIsrDpc(fdo.Dpc, fdo, null, null);
    }

    @Role(KSynchronizeRoutine.class)
    boolean SerMouseTakeOverflows(Object Context) {
        MouseExtension.QueueSnapshot snap = (MouseExtension.QueueSnapshot) Context;
        snap.Overflows = snap.Extension.OverflowCount;
        snap.Extension.OverflowCount = 0;
        return true;
    }

    @Role(KDeferredRoutine.class)
    void SerMouseErrorLogDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        MouseExtension ext = (MouseExtension) DeferredContext;
        MouseExtension.QueueSnapshot snap = new MouseExtension.QueueSnapshot();
        snap.Extension = ext;
        KeSynchronizeExecution(ext.Interrupt, this::SerMouseTakeOverflows, snap);
        if (snap.Overflows == 0) {
            return;
        }
        IoErrorLogPacket entry = IoAllocateErrorLogEntry(ext.Self, 48);
        if (entry != null) {
            entry.ErrorCode = SERMOUSE_OVERRUN;
            entry.UniqueErrorValue = 10;
            entry.FinalStatus = STATUS_SUCCESS;
            entry.DumpDataSize = 4;
            entry.DumpData = new int[] {snap.Overflows};
            entry.SequenceNumber = ext.ErrorSequence;
            IoWriteErrorLogEntry(entry);
            ext.ErrorSequence = entry.SequenceNumber + 1; // expect: ErrorLogEntryUnchecked
        }
    }

    // ------------------------------------------------------------------ pnp and hardware setup

    @Role(DriverDispatch.class)
    int SerMousePnp(DeviceObject DeviceObject, Irp Irp) {
        MouseExtension ext = (MouseExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE:
                status = SerMouseForwardAndWait(ext, Irp);
                if (NT_SUCCESS(status)) {
                    status = SerMouseStartDevice(ext, stack.Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            case IRP_MN_STOP_DEVICE:
            case IRP_MN_REMOVE_DEVICE:
                SerMouseStopDevice(ext);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                // the stack location goes with the IRP: what the code needs of it is read before
                boolean removing = stack.MinorFunction == IRP_MN_REMOVE_DEVICE;
                status = IoCallDriver(ext.LowerDevice, Irp);
                if (removing) {
                    IoDetachDevice(ext.LowerDevice);
                    IoDeleteDevice(DeviceObject);
                }
                return status;
            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(ext.LowerDevice, Irp);
        }
    }

    private int SerMouseForwardAndWait(MouseExtension ext, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::SerMouseSignal, event, true, true, true);
        int status = IoCallDriver(ext.LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(event, Executive, KernelMode, false, null);
            status = Irp.IoStatus.Status;
        }
        return status;
    }

    @Role(IoCompletionRoutine.class)
    int SerMouseSignal(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    private int SerMouseStartDevice(MouseExtension ext, CmResourceList resources) {
        int found = 0;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypePort) {
                ext.Port = d.u.Port.Start;
                found |= 1;
            } else if (d.Type == CmResourceTypeInterrupt) {
                ext.Vector = d.u.Interrupt.Vector;
                ext.Irql = d.u.Interrupt.Level;
                ext.Affinity = d.u.Interrupt.Affinity;
                found |= 2;
            }
        }
        if (found != 3) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        SerMouseInitializePort(ext.Port);
        ext.MouseType = SerMouseDetect(ext.Port);
        if (ext.MouseType == MOUSE_TYPE_NONE) {
            return STATUS_DEVICE_NOT_READY;
        }
        ext.NumberOfButtons = ext.MouseType == MOUSE_TYPE_MICROSOFT ? 2 : 3;
        ext.SampleRate = 40;
        ext.PacketBufferPosition = 0;
        ext.PreviousButtons = 0;
        ext.InputCount = 0;
        ext.DataIn = 0;
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::SerMouseInterruptService, ext.Self, null, ext.Vector, ext.Irql,
                ext.Irql, Latched, false, ext.Affinity, false);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        ext.Interrupt = interrupt.value;
        // received-data interrupts on, OUT2 gates the IRQ line
        KeSynchronizeExecution(ext.Interrupt, this::SerMouseEnableUart, ext);
        return STATUS_SUCCESS;
    }

    @Role(KSynchronizeRoutine.class)
    boolean SerMouseEnableUart(Object Context) {
        MouseExtension ext = (MouseExtension) Context;
        WRITE_PORT_UCHAR(ext.Port + MCR, (byte) (MCR_DTR | MCR_RTS | MCR_OUT2));
        WRITE_PORT_UCHAR(ext.Port + IER, (byte) 0x01);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean SerMouseDisableUart(Object Context) {
        MouseExtension ext = (MouseExtension) Context;
        WRITE_PORT_UCHAR(ext.Port + IER, (byte) 0);
        WRITE_PORT_UCHAR(ext.Port + MCR, (byte) 0);
        ext.EnableCount = 0;
        return true;
    }

    /** 1200 baud (divisor 0x60), 7 data bits, no parity, one stop bit; interrupts off. */
    private void SerMouseInitializePort(long port) {
        WRITE_PORT_UCHAR(port + LCR, (byte) 0x80);
        WRITE_PORT_UCHAR(port + RBR, (byte) 0x60);
        WRITE_PORT_UCHAR(port + IER, (byte) 0);
        WRITE_PORT_UCHAR(port + LCR, (byte) 0x02);
        WRITE_PORT_UCHAR(port + IER, (byte) 0);
        READ_PORT_UCHAR(port + LSR);
    }

    /** Power-cycles the mouse through DTR/RTS and reads its identification bytes. PASSIVE_LEVEL. */
    @Pageable
    private int SerMouseDetect(long port) {
        PAGED_CODE();
        int mcr = READ_PORT_UCHAR(port + MCR) & 0xff;
        WRITE_PORT_UCHAR(port + MCR, (byte) ((mcr & ~MCR_RTS) | MCR_DTR));
        KeDelayExecutionThread(KernelMode, false, -1_500_000L);
        while ((READ_PORT_UCHAR(port + LSR) & LSR_DR) != 0) {
            READ_PORT_UCHAR(port + RBR);
        }
        WRITE_PORT_UCHAR(port + MCR, (byte) (MCR_DTR | MCR_RTS));
        KeDelayExecutionThread(KernelMode, false, -100_000L);
        byte[] id = new byte[4];
        for (int i = 0; i < id.length; i++) {
            int waited = 0;
            while ((READ_PORT_UCHAR(port + LSR) & LSR_DR) == 0) {
                if (++waited == 250) {
                    WRITE_PORT_UCHAR(port + MCR, (byte) mcr);
                    return MOUSE_TYPE_NONE;
                }
                KeStallExecutionProcessor(1000);
            }
            id[i] = READ_PORT_UCHAR(port + RBR);
        }
        WRITE_PORT_UCHAR(port + MCR, (byte) mcr);
        for (int i = 0; i < 3; i++) {
            if (id[i] == 'M') {
                if (id[i + 1] == '3') {
                    return MOUSE_TYPE_LOGITECH;
                }
                if (id[i + 1] == 'Z') {
                    return MOUSE_TYPE_WHEELZ;
                }
                return MOUSE_TYPE_MICROSOFT;
            }
        }
        return MOUSE_TYPE_NONE;
    }

    private void SerMouseStopDevice(MouseExtension ext) {
        if (ext.Interrupt == null) {
            return;
        }
        KeCancelTimer(ext.DataConsumptionTimer);
        KeSynchronizeExecution(ext.Interrupt, this::SerMouseDisableUart, ext);
        IoDisconnectInterrupt(ext.Interrupt);
        ext.Interrupt = null;
    }

    @Role(DriverUnload.class)
    void SerMouseUnload(DriverObject DriverObject) {
    }
}
