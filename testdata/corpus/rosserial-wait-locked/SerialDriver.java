package corpus.rosserialwaitlocked;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * COM port driver in the simple style: the ISR only identifies the cause, masks the receive or
 * transmit interrupt it saw and queues a CustomDpc; the receive DPC drains the UART into an input
 * ring under a spin lock and signals an event, the send DPC feeds the UART from an output ring. Reads
 * are synchronous: the dispatch routine takes what the ring holds and waits on the event, with the
 * interval timeout, for the rest. Writes push into the output ring and call the send routine directly.
 * Interrupt-enable bits are changed only inside SynchCritSections.
 * Re-expressed from: reactos/reactos/drivers/serial/serial (misc.c, rw.c, pnp.c, circularbuffer.c) (structure and facts, not code).
 */
@HardwareId("SIM\\UART16550")
public final class SerialDriver {
    static final int SER_RBR = 0;
    static final int SER_THR = 0;
    static final int SER_IER = 1;
    static final int SER_IIR = 2;
    static final int SER_FCR = 2;
    static final int SER_LCR = 3;
    static final int SER_MCR = 4;
    static final int SER_LSR = 5;
    static final int SER_MSR = 6;
    static final int SR_IER_DATA_RECEIVED = 0x01;
    static final int SR_IER_THR_EMPTY = 0x02;
    static final int SR_IER_LSR_CHANGE = 0x04;
    static final int SR_IER_MSR_CHANGE = 0x08;
    static final int SR_IIR_SELF = 0x01;
    static final int SR_IIR_ID_MASK = 0x07;
    static final int SR_IIR_MSR_CHANGE = 0x00;
    static final int SR_IIR_THR_EMPTY = 0x02;
    static final int SR_IIR_DATA_RECEIVED = 0x04;
    static final int SR_IIR_ERROR = 0x06;
    static final int SR_LSR_DATA_RECEIVED = 0x01;
    static final int SR_LSR_THR_EMPTY = 0x20;
    static final int SR_MCR_DTR = 0x01;
    static final int SR_MCR_RTS = 0x02;
    static final int SR_MCR_OUT2 = 0x08;
    static final int SERIAL_TAG = 0x72655353;
    static final int IOCTL_SERIAL_SET_TIMEOUTS = 0x001b001c;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::SerialAddDevice;
        DriverObject.DriverUnload = this::SerialUnload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::SerialCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::SerialCreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::SerialRead;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = this::SerialWrite;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = this::SerialDeviceControl;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::SerialPnp;
        return STATUS_SUCCESS;
    }

    private int ComPortCount;

    @Role(DriverAddDevice.class)
    int SerialAddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        if (Pdo == null) {
            return STATUS_SUCCESS;
        }
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, SerialDeviceExtension.class, null, FILE_DEVICE_SERIAL_PORT,
                FILE_DEVICE_SECURE_OPEN, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        SerialDeviceExtension ext = (SerialDeviceExtension) fdo.DeviceExtension;
        ext.Self = fdo;
        ext.ComPort = ++ComPortCount;
        IoInitializeRemoveLock(ext.RemoveLock, SERIAL_TAG, 0, 0);
        KeInitializeSpinLock(ext.InputBufferLock);
        KeInitializeSpinLock(ext.OutputBufferLock);
        KeInitializeEvent(ext.InputBufferNotEmpty, NotificationEvent, false);
        KeInitializeDpc(ext.ReceivedByteDpc, this::SerialReceiveByte, ext);
        KeInitializeDpc(ext.SendByteDpc, this::SerialSendByte, ext);
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
    int SerialCreateClose(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    // ------------------------------------------------------------------ interrupt-enable changes

    /** Sets or clears bits of IER; runs synchronized with the ISR, which changes IER too. */
    @Role(KSynchronizeRoutine.class)
    boolean SerialChangeIer(Object Context) {
        Object[] args = (Object[]) Context;
        SerialDeviceExtension ext = (SerialDeviceExtension) args[0];
        int set = (Integer) args[1];
        int clear = (Integer) args[2];
        ext.Ier = (ext.Ier | set) & ~clear;
        WRITE_PORT_UCHAR(ext.BaseAddress + SER_IER, (byte) ext.Ier);
        return true;
    }

    private void SerialEnableIer(SerialDeviceExtension ext, int bits) {
        KeSynchronizeExecution(ext.Interrupt, this::SerialChangeIer, new Object[] {ext, bits, 0});
    }

    // ------------------------------------------------------------------ DPCs

    @Role(KDeferredRoutine.class)
    void SerialReceiveByte(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        SerialDeviceExtension ext = (SerialDeviceExtension) DeferredContext;
        long base = ext.BaseAddress;
        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(ext.InputBufferLock, irql);
        while ((READ_PORT_UCHAR(base + SER_LSR) & SR_LSR_DATA_RECEIVED) != 0) {
            byte b = READ_PORT_UCHAR(base + SER_RBR);
            if (NT_SUCCESS(ext.InputBuffer.Push(b))) {
                ext.ReceivedCount++;
            } else {
                ext.BufferOverrunErrorCount++;
            }
        }
        KeSetEvent(ext.InputBufferNotEmpty, IO_NO_INCREMENT, false);
        KeReleaseSpinLock(ext.InputBufferLock, irql.value);
        // the ISR masked received-data interrupts until the FIFO was drained
        SerialEnableIer(ext, SR_IER_DATA_RECEIVED);
    }

    /**
     * Feeds the transmitter from the output ring. Runs as the send DPC and is also called directly by
     * the write dispatch routine at PASSIVE_LEVEL, hence KeAcquireSpinLock.
     */
    @Role(KDeferredRoutine.class)
    void SerialSendByte(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        SerialDeviceExtension ext = (SerialDeviceExtension) DeferredContext;
        long base = ext.BaseAddress;
        Out<Integer> irql = new Out<>();
        Out<Byte> b = new Out<>();
        KeAcquireSpinLock(ext.OutputBufferLock, irql);
        while (!ext.OutputBuffer.IsEmpty() && (READ_PORT_UCHAR(base + SER_LSR) & SR_LSR_THR_EMPTY) != 0) {
            if (!NT_SUCCESS(ext.OutputBuffer.Pop(b))) {
                break;
            }
            WRITE_PORT_UCHAR(base + SER_THR, b.value);
            ext.TransmittedCount++;
        }
        boolean more = !ext.OutputBuffer.IsEmpty();
        KeReleaseSpinLock(ext.OutputBufferLock, irql.value);
        if (more) {
            SerialEnableIer(ext, SR_IER_THR_EMPTY);
        }
    }

    // ------------------------------------------------------------------ ISR

    @Role(KServiceRoutine.class)
    boolean SerialInterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        SerialDeviceExtension ext = (SerialDeviceExtension) fdo.DeviceExtension;
        long base = ext.BaseAddress;
        int iir = READ_PORT_UCHAR(base + SER_IIR) & 0xff;
        if (iir == 0xff) {
            // the card was pulled: claim it so the line does not storm
            return true;
        }
        if ((iir & SR_IIR_SELF) != 0) {
            return false;
        }
        switch (iir & SR_IIR_ID_MASK) {
            case SR_IIR_MSR_CHANGE:
                ext.ModemStatus = READ_PORT_UCHAR(base + SER_MSR) & 0xff;
                return true;
            case SR_IIR_THR_EMPTY:
                ext.Ier &= ~SR_IER_THR_EMPTY;
                WRITE_PORT_UCHAR(base + SER_IER, (byte) ext.Ier);
                KeInsertQueueDpc(ext.SendByteDpc, null, null);
                return true;
            case SR_IIR_DATA_RECEIVED:
                ext.Ier &= ~SR_IER_DATA_RECEIVED;
                WRITE_PORT_UCHAR(base + SER_IER, (byte) ext.Ier);
                KeInsertQueueDpc(ext.ReceivedByteDpc, null, null);
                return true;
            case SR_IIR_ERROR:
                READ_PORT_UCHAR(base + SER_LSR);
                ext.LineErrors++;
                return true;
            default:
                return true;
        }
    }

    // ------------------------------------------------------------------ read / write

    private byte[] SerialGetUserBuffer(Irp Irp) {
        if (Irp.MdlAddress != null) {
            return MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority);
        }
        return Irp.AssociatedIrp.SystemBuffer;
    }

    /** Copies what the input ring holds, waiting on the event between batches. PASSIVE_LEVEL. */
    private int ReadBytes(SerialDeviceExtension ext, byte[] buffer, int length, Out<Integer> information) {
        int done = 0;
        int waitedMs = 0;
        Out<Byte> b = new Out<>();
        while (true) {
            Out<Integer> irql = new Out<>();
            KeAcquireSpinLock(ext.InputBufferLock, irql);
            while (done < length && NT_SUCCESS(ext.InputBuffer.Pop(b))) {
                buffer[done++] = b.value;
            }
            if (done == length) {
                KeReleaseSpinLock(ext.InputBufferLock, irql.value);
                break;
            }
            if (ext.ReadTotalTimeoutMs != 0 && waitedMs >= ext.ReadTotalTimeoutMs) {
                KeReleaseSpinLock(ext.InputBufferLock, irql.value);
                break;
            }
            // clear and start waiting before the receive DPC can slip a byte in between
            KeClearEvent(ext.InputBufferNotEmpty);
            int interval = ext.ReadIntervalTimeoutMs != 0 ? ext.ReadIntervalTimeoutMs : 100;
            int wait = KeWaitForSingleObject(ext.InputBufferNotEmpty, Executive, KernelMode, false, -10_000L * interval);
            KeReleaseSpinLock(ext.InputBufferLock, irql.value);
            if (wait == STATUS_TIMEOUT) {
                waitedMs += interval;
                if (done > 0 && ext.ReadIntervalTimeoutMs != 0) {
                    break;
                }
            }
        }
        information.value = done;
        return done == 0 ? STATUS_TIMEOUT : STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int SerialRead(DeviceObject DeviceObject, Irp Irp) {
        SerialDeviceExtension ext = (SerialDeviceExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int length = stack.Parameters.Read.Length;
        byte[] buffer = SerialGetUserBuffer(Irp);
        Out<Integer> information = new Out<>(0);
        int status;
        if (stack.Parameters.Read.ByteOffset != 0 || buffer == null) {
            status = STATUS_INVALID_PARAMETER;
        } else if (length == 0) {
            status = STATUS_SUCCESS;
        } else {
            status = IoAcquireRemoveLock(ext.RemoveLock, Irp);
            if (NT_SUCCESS(status)) {
                status = ReadBytes(ext, buffer, length, information); // expect: IrqlTooHigh
                if (Irp.MdlAddress != null) {
                    KeFlushIoBuffers(Irp.MdlAddress, true, false);
                }
                IoReleaseRemoveLock(ext.RemoveLock, Irp);
            }
        }
        Irp.IoStatus.Information = information.value;
        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_SERIAL_INCREMENT);
        return status;
    }

    @Role(DriverDispatch.class)
    int SerialWrite(DeviceObject DeviceObject, Irp Irp) {
        SerialDeviceExtension ext = (SerialDeviceExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int length = stack.Parameters.Write.Length;
        byte[] buffer = SerialGetUserBuffer(Irp);
        int information = 0;
        int status;
        if (stack.Parameters.Write.ByteOffset != 0 || buffer == null) {
            status = STATUS_INVALID_PARAMETER;
        } else {
            status = IoAcquireRemoveLock(ext.RemoveLock, Irp);
        }
        if (NT_SUCCESS(status)) {
            Out<Integer> irql = new Out<>();
            KeAcquireSpinLock(ext.OutputBufferLock, irql);
            while (information < length) {
                status = ext.OutputBuffer.Push(buffer[information]);
                if (status == STATUS_BUFFER_TOO_SMALL) {
                    // ring full: let the transmitter drain some of it, then go on
                    KeReleaseSpinLock(ext.OutputBufferLock, irql.value);
                    SerialSendByte(null, ext, null, null);
                    KeStallExecutionProcessor(100);
                    KeAcquireSpinLock(ext.OutputBufferLock, irql);
                    continue;
                }
                information++;
            }
            KeReleaseSpinLock(ext.OutputBufferLock, irql.value);
            IoReleaseRemoveLock(ext.RemoveLock, Irp);
            SerialSendByte(null, ext, null, null);
        }
        Irp.IoStatus.Information = information;
        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_SERIAL_INCREMENT);
        return status;
    }

    @Role(DriverDispatch.class)
    int SerialDeviceControl(DeviceObject DeviceObject, Irp Irp) {
        SerialDeviceExtension ext = (SerialDeviceExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        if (stack.Parameters.DeviceIoControl.IoControlCode != IOCTL_SERIAL_SET_TIMEOUTS) {
            status = STATUS_INVALID_DEVICE_REQUEST;
        } else if (stack.Parameters.DeviceIoControl.InputBufferLength < 8) {
            status = STATUS_BUFFER_TOO_SMALL;
        } else {
            byte[] in = Irp.AssociatedIrp.SystemBuffer;
            ext.ReadIntervalTimeoutMs = (in[0] & 0xff) | (in[1] & 0xff) << 8;
            ext.ReadTotalTimeoutMs = (in[4] & 0xff) | (in[5] & 0xff) << 8;
            status = STATUS_SUCCESS;
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    // ------------------------------------------------------------------ pnp

    @Role(DriverDispatch.class)
    int SerialPnp(DeviceObject DeviceObject, Irp Irp) {
        SerialDeviceExtension ext = (SerialDeviceExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE:
                status = ForwardIrpAndWait(ext, Irp);
                if (NT_SUCCESS(status)) {
                    status = SerialPnpStartDevice(ext, stack.Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            case IRP_MN_REMOVE_DEVICE:
                IoAcquireRemoveLock(ext.RemoveLock, Irp);
                IoReleaseRemoveLockAndWait(ext.RemoveLock, Irp);
                SerialStopDevice(ext);
                IoSkipCurrentIrpStackLocation(Irp);
                status = IoCallDriver(ext.LowerDevice, Irp);
                IoDetachDevice(ext.LowerDevice);
                IoDeleteDevice(DeviceObject);
                return status;
            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(ext.LowerDevice, Irp);
        }
    }

    private int ForwardIrpAndWait(SerialDeviceExtension ext, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::ForwardIrpAndWaitCompletion, event, true, true, true);
        int status = IoCallDriver(ext.LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            status = KeWaitForSingleObject(event, Executive, KernelMode, false, null);
            if (NT_SUCCESS(status)) {
                status = Irp.IoStatus.Status;
            }
        }
        return status;
    }

    @Role(IoCompletionRoutine.class)
    int ForwardIrpAndWaitCompletion(DeviceObject DeviceObject, Irp Irp, Object Context) {
        if (Irp.PendingReturned) {
            KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        }
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    private int SerialPnpStartDevice(SerialDeviceExtension ext, CmResourceList resources) {
        boolean havePort = false;
        boolean haveIrq = false;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypePort && d.u.Port.Length == 8) {
                ext.BaseAddress = d.u.Port.Start;
                havePort = true;
            } else if (d.Type == CmResourceTypeInterrupt) {
                ext.Vector = d.u.Interrupt.Vector;
                ext.Irql = d.u.Interrupt.Level;
                ext.Affinity = d.u.Interrupt.Affinity;
                haveIrq = true;
            }
        }
        if (!havePort || !haveIrq) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        long base = ext.BaseAddress;
        // 19200 bauds 8N1, FIFOs on, everything masked until the interrupt is connected
        ext.BaudRate = 19200;
        WRITE_PORT_UCHAR(base + SER_IER, (byte) 0);
        WRITE_PORT_UCHAR(base + SER_LCR, (byte) 0x80);
        WRITE_PORT_UCHAR(base + SER_RBR, (byte) (115200 / ext.BaudRate));
        WRITE_PORT_UCHAR(base + SER_IER, (byte) 0);
        WRITE_PORT_UCHAR(base + SER_LCR, (byte) 0x03);
        WRITE_PORT_UCHAR(base + SER_FCR, (byte) 0xC7);
        ext.Ier = 0;
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::SerialInterruptService, ext.Self, null, ext.Vector, ext.Irql,
                ext.Irql, Latched, true, ext.Affinity, false);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        ext.Interrupt = interrupt.value;
        WRITE_PORT_UCHAR(base + SER_MCR, (byte) (SR_MCR_DTR | SR_MCR_RTS | SR_MCR_OUT2));
        SerialEnableIer(ext, SR_IER_DATA_RECEIVED | SR_IER_LSR_CHANGE | SR_IER_MSR_CHANGE);
        return STATUS_SUCCESS;
    }

    private void SerialStopDevice(SerialDeviceExtension ext) {
        if (ext.Interrupt == null) {
            return;
        }
        KeSynchronizeExecution(ext.Interrupt, this::SerialChangeIer, new Object[] {ext, 0, 0xff});
        IoDisconnectInterrupt(ext.Interrupt);
        ext.Interrupt = null;
        KeRemoveQueueDpc(ext.ReceivedByteDpc);
        KeRemoveQueueDpc(ext.SendByteDpc);
        WRITE_PORT_UCHAR(ext.BaseAddress + SER_MCR, (byte) 0);
    }

    @Role(DriverUnload.class)
    void SerialUnload(DriverObject DriverObject) {
    }
}
