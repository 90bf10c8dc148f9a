package sample.seeded.ringstatearraylostupdate;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * Seeded defect: the ring's head and count live in an int[] (RingState[HEAD], RingState[COUNT]), and the receive DPC gives the count back outside the SynchCritSection, a read-modify-write of an array element the ISR increments: an interrupt between the read and the write loses characters. Otherwise a programmed-I/O driver for a 16550-like serial port, written the way the WDK's DPC pages say.
 * Writes go through StartIo and the system device queue; the ISR feeds the transmit FIFO and
 * queues the DpcForIsr when a write has left it, and the DpcForIsr calls IoStartNextPacket just
 * before IoCompleteRequest. Received characters go into a ring buffer at DIRQL; a CustomDpc moves
 * them into the waiting reads inside a SynchCritSection, flushes with KeFlushIoBuffers, and
 * completes. Everything the ISR touches is touched elsewhere only through KeSynchronizeExecution.
 * An IoTimer polls the device once a second to recover from a lost interrupt.
 */
@HardwareId("SIM\\UART16550")
public final class UartDriver {
    static final int PORT_DATA = 0;
    static final int PORT_IER = 1;
    static final int PORT_IIR = 2;
    static final int PORT_FCR = 2;
    static final int PORT_LCR = 3;
    static final int PORT_MCR = 4;
    static final int PORT_LSR = 5;
    static final int PORT_MSR = 6;
    static final int IER_RX_DATA = 0x01;
    static final int IER_THR_EMPTY = 0x02;
    static final int IER_LINE_STATUS = 0x04;
    static final int IIR_NO_INTERRUPT = 0x01;
    static final int IIR_LINE_STATUS = 0x06;
    static final int IIR_RX_DATA = 0x04;
    static final int IIR_TIMEOUT = 0x0C;
    static final int IIR_THR_EMPTY = 0x02;
    static final int LCR_DLAB = 0x80;
    static final int LCR_8N1 = 0x03;
    static final int FCR_ENABLE_CLEAR_TRIGGER14 = 0xC7;
    static final int MCR_DTR = 0x01;
    static final int MCR_RTS = 0x02;
    static final int MCR_OUT2 = 0x08;
    static final int MCR_AUTO_FLOW = 0x20;
    static final int LSR_DATA_READY = 0x01;
    static final int LSR_RX_ERRORS = 0x04 | 0x08 | 0x10;
    static final int LSR_THR_EMPTY = 0x20;
    static final int FIFO_SIZE = 16;
    static final int BASE_BAUD = 115200;
    static final int DIVISOR = 1;
    static final int TAG = 0x74726155;
    static final int IOCTL_SERIAL_GET_BAUD_RATE = CTL_CODE(FILE_DEVICE_SERIAL_PORT, 20, METHOD_BUFFERED,
            FILE_ANY_ACCESS);

    /** What servicing the device left for the DPCs. */
    static final int SERVICED = 1;
    static final int RECEIVED = 2;
    static final int TRANSMITTED = 4;

    /** The ring's state: where its oldest character is, and how many it holds. */
    static final int HEAD = 0;
    static final int COUNT = 1;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        DriverObject.DriverStartIo = this::StartIo;
        DriverObject.DriverUnload = this::Unload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::DispatchCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::DispatchCreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::DispatchRead;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = this::DispatchWrite;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = this::DispatchDeviceControl;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::DispatchPnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject PhysicalDeviceObject) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, UartExtension.class, null, FILE_DEVICE_SERIAL_PORT, 0, false,
                created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        UartExtension ext = (UartExtension) fdo.DeviceExtension;
        ext.Self = fdo;
        ext.Pdo = PhysicalDeviceObject;
        IoInitializeRemoveLock(ext.RemoveLock, TAG, 0, 0);
        ext.LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (ext.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_UNSUCCESSFUL;
        }
        IoInitializeDpcRequest(fdo, this::TransmitDpc);
        KeInitializeDpc(ext.ReceiveDpc, this::ReceiveDpc, ext);
        IoInitializeTimer(fdo, this::IoTimer, ext);
        fdo.Flags |= DO_DIRECT_IO;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int DispatchCreateClose(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int DispatchWrite(DeviceObject DeviceObject, Irp Irp) {
        UartExtension ext = (UartExtension) DeviceObject.DeviceExtension;
        if (IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length == 0) {
            Irp.IoStatus.Status = STATUS_SUCCESS;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_SUCCESS;
        }
        int status = IoAcquireRemoveLock(ext.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoMarkIrpPending(Irp);
        IoStartPacket(DeviceObject, Irp, null, null);
        return STATUS_PENDING;
    }

    @Role(DriverDispatch.class)
    int DispatchRead(DeviceObject DeviceObject, Irp Irp) {
        UartExtension ext = (UartExtension) DeviceObject.DeviceExtension;
        int length = IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length;
        if (length == 0) {
            Irp.IoStatus.Status = STATUS_SUCCESS;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_SUCCESS;
        }
        byte[] buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority);
        int status = buffer == null ? STATUS_INSUFFICIENT_RESOURCES : IoAcquireRemoveLock(ext.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        UartExtension.ReadRequest read = new UartExtension.ReadRequest();
        read.Irp = Irp;
        read.Buffer = buffer;
        read.Length = length;
        IoMarkIrpPending(Irp);
        KeSynchronizeExecution(ext.Interrupt, this::QueueRead, new Object[] {ext, read});
        // characters may already wait in the ring buffer
        KeInsertQueueDpc(ext.ReceiveDpc, null, null);
        return STATUS_PENDING;
    }

    @Role(KSynchronizeRoutine.class)
    boolean QueueRead(Object SynchronizeContext) {
        Object[] args = (Object[]) SynchronizeContext;
        ((UartExtension) args[0]).PendingReads.add((UartExtension.ReadRequest) args[1]);
        return true;
    }

    @Role(DriverDispatch.class)
    int DispatchDeviceControl(DeviceObject DeviceObject, Irp Irp) {
        UartExtension ext = (UartExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        long information = 0;
        if (stack.Parameters.DeviceIoControl.IoControlCode != IOCTL_SERIAL_GET_BAUD_RATE) {
            status = STATUS_INVALID_DEVICE_REQUEST;
        } else if (stack.Parameters.DeviceIoControl.OutputBufferLength < 4) {
            status = STATUS_BUFFER_TOO_SMALL;
        } else {
            byte[] out = Irp.AssociatedIrp.SystemBuffer;
            for (int i = 0; i < 4; i++) {
                out[i] = (byte) (ext.BaudRate >>> (8 * i));
            }
            information = 4;
            status = STATUS_SUCCESS;
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        UartExtension ext = (UartExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE: {
                int status = ForwardAndWait(ext, Irp);
                if (NT_SUCCESS(status)) {
                    status = StartDevice(ext, IoGetCurrentIrpStackLocation(Irp).Parameters.StartDevice
                            .AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
            case IRP_MN_REMOVE_DEVICE: {
                IoAcquireRemoveLock(ext.RemoveLock, Irp);
                IoReleaseRemoveLockAndWait(ext.RemoveLock, Irp);
                StopDevice(ext);
                IoSkipCurrentIrpStackLocation(Irp);
                int status = IoCallDriver(ext.LowerDevice, Irp);
                IoDetachDevice(ext.LowerDevice);
                IoDeleteDevice(DeviceObject);
                return status;
            }
            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(ext.LowerDevice, Irp);
        }
    }

    private int ForwardAndWait(UartExtension ext, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::StartCompletion, event, true, true, true);
        int status = IoCallDriver(ext.LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(event, Executive, KernelMode, false, null);
            status = Irp.IoStatus.Status;
        }
        return status;
    }

    @Role(IoCompletionRoutine.class)
    int StartCompletion(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    private int StartDevice(UartExtension ext, CmResourceList resources) {
        int vector = -1;
        int level = 0;
        long affinity = 0;
        boolean havePorts = false;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypePort) {
                ext.Port = d.u.Port.Start;
                havePorts = true;
            } else if (d.Type == CmResourceTypeInterrupt) {
                vector = d.u.Interrupt.Vector;
                level = d.u.Interrupt.Level;
                affinity = d.u.Interrupt.Affinity;
            }
        }
        if (!havePorts || vector < 0) {
            return STATUS_DEVICE_NOT_READY;
        }
        // program the line before the interrupt is connected: 8N1, FIFOs on, interrupts off
        long port = ext.Port;
        WRITE_PORT_UCHAR(port + PORT_IER, (byte) 0);
        WRITE_PORT_UCHAR(port + PORT_LCR, (byte) LCR_DLAB);
        WRITE_PORT_UCHAR(port + PORT_DATA, (byte) (DIVISOR & 0xFF));
        WRITE_PORT_UCHAR(port + PORT_IER, (byte) (DIVISOR >>> 8));
        WRITE_PORT_UCHAR(port + PORT_LCR, (byte) LCR_8N1);
        WRITE_PORT_UCHAR(port + PORT_FCR, (byte) FCR_ENABLE_CLEAR_TRIGGER14);
        ext.BaudRate = BASE_BAUD / DIVISOR;
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptService, ext.Self, null, vector, level, level,
                LevelSensitive, false, affinity, false);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        ext.Interrupt = interrupt.value;
        KeSynchronizeExecution(ext.Interrupt, this::EnableDevice, ext);
        IoStartTimer(ext.Self);
        return STATUS_SUCCESS;
    }

    @Role(KSynchronizeRoutine.class)
    boolean EnableDevice(Object SynchronizeContext) {
        UartExtension ext = (UartExtension) SynchronizeContext;
        SetInterruptEnable(ext, IER_RX_DATA | IER_LINE_STATUS);
        WRITE_PORT_UCHAR(ext.Port + PORT_MCR, (byte) (MCR_DTR | MCR_RTS | MCR_OUT2 | MCR_AUTO_FLOW));
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean DisableDevice(Object SynchronizeContext) {
        UartExtension ext = (UartExtension) SynchronizeContext;
        SetInterruptEnable(ext, 0);
        WRITE_PORT_UCHAR(ext.Port + PORT_MCR, (byte) 0);
        return true;
    }

    private void StopDevice(UartExtension ext) {
        IoStopTimer(ext.Self);
        if (ext.Interrupt != null) {
            KeSynchronizeExecution(ext.Interrupt, this::DisableDevice, ext);
            IoDisconnectInterrupt(ext.Interrupt);
            ext.Interrupt = null;
        }
    }

    // ---------------------------------------------------------------- transmit

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        UartExtension ext = (UartExtension) DeviceObject.DeviceExtension;
        UartExtension.TransmitRequest request = new UartExtension.TransmitRequest();
        request.Extension = ext;
        request.Buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority);
        request.Length = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
        KeSynchronizeExecution(ext.Interrupt, this::StartTransmit, request);
    }

    @Role(KSynchronizeRoutine.class)
    boolean StartTransmit(Object SynchronizeContext) {
        UartExtension.TransmitRequest request = (UartExtension.TransmitRequest) SynchronizeContext;
        UartExtension ext = request.Extension;
        ext.TxBuffer = request.Buffer;
        ext.TxLength = request.Length;
        ext.TxOffset = 0;
        ext.TxDone = false;
        FillTransmitFifo(ext);
        SetInterruptEnable(ext, ext.Ier | IER_THR_EMPTY);
        return true;
    }

    /** Puts as much of the write into the transmit FIFO as fits. DIRQL, interrupt spin lock held. */
    private void FillTransmitFifo(UartExtension ext) {
        if ((READ_PORT_UCHAR(ext.Port + PORT_LSR) & LSR_THR_EMPTY) == 0) {
            return;
        }
        int n = Math.min(FIFO_SIZE, ext.TxLength - ext.TxOffset);
        for (int i = 0; i < n; i++) {
            WRITE_PORT_UCHAR(ext.Port + PORT_DATA, ext.TxBuffer[ext.TxOffset]);
            ext.TxOffset++;
        }
    }

    /** The transmit FIFO ran empty: feed it, or note that the write has left. */
    private int Transmit(UartExtension ext) {
        if (ext.TxBuffer == null) {
            SetInterruptEnable(ext, ext.Ier & ~IER_THR_EMPTY);
            return 0;
        }
        if (ext.TxOffset < ext.TxLength) {
            FillTransmitFifo(ext);
            return 0;
        }
        ext.TxBuffer = null;
        ext.TxDone = true;
        SetInterruptEnable(ext, ext.Ier & ~IER_THR_EMPTY);
        return TRANSMITTED;
    }

    @Role(KSynchronizeRoutine.class)
    boolean TakeTransmitStatus(Object SynchronizeContext) {
        UartExtension.TransmitStatus status = (UartExtension.TransmitStatus) SynchronizeContext;
        UartExtension ext = status.Extension;
        status.Done = ext.TxDone;
        status.Length = ext.TxLength;
        ext.TxDone = false;
        return true;
    }

    @Role(IoDpcRoutine.class)
    void TransmitDpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        UartExtension ext = (UartExtension) DeviceObject.DeviceExtension;
        Irp irp = DeviceObject.CurrentIrp;
        if (irp == null) {
            return;
        }
        UartExtension.TransmitStatus status = new UartExtension.TransmitStatus();
        status.Extension = ext;
        KeSynchronizeExecution(ext.Interrupt, this::TakeTransmitStatus, status);
        if (!status.Done) {
            return;
        }
        irp.IoStatus.Status = STATUS_SUCCESS;
        irp.IoStatus.Information = status.Length;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(irp, IO_SERIAL_INCREMENT);
        IoReleaseRemoveLock(ext.RemoveLock, irp);
    }

    // ---------------------------------------------------------------- receive

    /** Moves received characters into the ring buffer. DIRQL, interrupt spin lock held. */
    private int Receive(UartExtension ext) {
        int received = 0;
        while (true) {
            int lsr = READ_PORT_UCHAR(ext.Port + PORT_LSR) & 0xFF;
            if ((lsr & LSR_DATA_READY) == 0) {
                break;
            }
            if (ext.RingState[COUNT] == ext.Ring.length) {
                // no room: leave the characters in the FIFO; auto flow control holds the peer
                ext.ReceiverThrottled = true;
                SetInterruptEnable(ext, ext.Ier & ~IER_RX_DATA);
                break;
            }
            byte c = READ_PORT_UCHAR(ext.Port + PORT_DATA);
            if ((lsr & LSR_RX_ERRORS) != 0) {
                ext.LineErrors++;
                continue;
            }
            ext.Ring[(ext.RingState[HEAD] + ext.RingState[COUNT]) % ext.Ring.length] = c;
            ext.RingState[COUNT]++;
            received++;
        }
        return received > 0 ? RECEIVED : 0;
    }

    @Role(KSynchronizeRoutine.class)
    boolean FillReads(Object SynchronizeContext) {
        UartExtension.ReceiveBatch batch = (UartExtension.ReceiveBatch) SynchronizeContext;
        UartExtension ext = batch.Extension;
        int available = ext.RingState[COUNT];
        while (available > 0 && !ext.PendingReads.isEmpty()) {
            UartExtension.ReadRequest read = ext.PendingReads.peek();
            int n = Math.min(available, read.Length - read.Done);
            for (int i = 0; i < n; i++) {
                read.Buffer[read.Done] = ext.Ring[ext.RingState[HEAD]];
                read.Done++;
                ext.RingState[HEAD] = (ext.RingState[HEAD] + 1) % ext.Ring.length;
            }
            available -= n;
            batch.Taken += n;
            if (read.Done == read.Length) {
                ext.PendingReads.poll();
                batch.Completed.add(read);
            }
        }
        if (ext.ReceiverThrottled && available < ext.Ring.length / 2) {
            ext.ReceiverThrottled = false;
            SetInterruptEnable(ext, ext.Ier | IER_RX_DATA);
        }
        return true;
    }

    @Role(KDeferredRoutine.class)
    void ReceiveDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        UartExtension ext = (UartExtension) DeferredContext;
        UartExtension.ReceiveBatch batch = new UartExtension.ReceiveBatch();
        batch.Extension = ext;
        KeSynchronizeExecution(ext.Interrupt, this::FillReads, batch);
        // the count is given back after the SynchCritSection: an ISR between its read and its write loses characters
        ext.RingState[COUNT] = ext.RingState[COUNT] - batch.Taken; // expect: SharedContextUnsynchronized (confirmed), DataRace (confirmed)
        for (UartExtension.ReadRequest read : batch.Completed) {
            KeFlushIoBuffers(read.Irp.MdlAddress, true, false);
            read.Irp.IoStatus.Status = STATUS_SUCCESS;
            read.Irp.IoStatus.Information = read.Length;
            IoCompleteRequest(read.Irp, IO_SERIAL_INCREMENT); // expect: DataCorruption (confirmed)
            IoReleaseRemoveLock(ext.RemoveLock, read.Irp);
        }
    }

    // ---------------------------------------------------------------- interrupt

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        UartExtension ext = (UartExtension) fdo.DeviceExtension;
        int work = ServiceDevice(ext);
        if (work == 0) {
            return false;
        }
        RequestDpcs(fdo, ext, work);
        return true;
    }

    /** Services every pending cause, highest priority first. DIRQL, interrupt spin lock held. */
    private int ServiceDevice(UartExtension ext) {
        int work = 0;
        while (true) {
            int iir = READ_PORT_UCHAR(ext.Port + PORT_IIR) & 0x0F;
            if ((iir & IIR_NO_INTERRUPT) != 0) {
                return work;
            }
            work |= SERVICED;
            switch (iir) {
                case IIR_LINE_STATUS:
                case IIR_RX_DATA:
                case IIR_TIMEOUT:
                    work |= Receive(ext);
                    break;
                case IIR_THR_EMPTY:
                    work |= Transmit(ext);
                    break;
                default:
                    READ_PORT_UCHAR(ext.Port + PORT_MSR);
                    break;
            }
        }
    }

    /** Queues the DPCs that the serviced causes need; the last thing the ISR does. */
    private void RequestDpcs(DeviceObject fdo, UartExtension ext, int work) {
        if ((work & RECEIVED) != 0) {
            KeInsertQueueDpc(ext.ReceiveDpc, null, null);
        }
        if ((work & TRANSMITTED) != 0) {
            IoRequestDpc(fdo, fdo.CurrentIrp, null);
        }
    }

    private void SetInterruptEnable(UartExtension ext, int ier) {
        ext.Ier = ier;
        WRITE_PORT_UCHAR(ext.Port + PORT_IER, (byte) ier);
    }

    @Role(IoTimerRoutine.class)
    void IoTimer(DeviceObject DeviceObject, Object Context) {
        UartExtension ext = (UartExtension) Context;
        if (ext.Interrupt != null) {
            KeSynchronizeExecution(ext.Interrupt, this::Poll, DeviceObject);
        }
    }

    /**
     * Services what a lost interrupt left pending. A lost transmitter-empty interrupt leaves no
     * cause in IIR, so the transmitter is kicked when LSR says its FIFO is empty mid-write.
     */
    @Role(KSynchronizeRoutine.class)
    boolean Poll(Object SynchronizeContext) {
        DeviceObject fdo = (DeviceObject) SynchronizeContext;
        UartExtension ext = (UartExtension) fdo.DeviceExtension;
        int work = ServiceDevice(ext);
        if (ext.TxBuffer != null && (READ_PORT_UCHAR(ext.Port + PORT_LSR) & LSR_THR_EMPTY) != 0) {
            work |= Transmit(ext);
        }
        if (work != 0) {
            RequestDpcs(fdo, ext, work);
        }
        return work != 0;
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }
}
