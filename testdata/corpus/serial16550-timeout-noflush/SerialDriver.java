package corpus.serial16550timeoutnoflush;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * Function driver for a 16550 UART: reads and writes are kept on driver-managed queues under the
 * cancel spin lock, the current write is handed to the ISR inside a SynchCritSection, the ISR feeds
 * the transmit FIFO and queues CustomDpcs when a write has drained or a read is satisfied, and a
 * total-timeout timer takes an unfinished read back from the ISR.
 * Re-expressed from: microsoft/Windows-driver-samples/serial/serial (isr.c, read.c, write.c, utils.c) (structure and facts, not code).
 */
@HardwareId("SIM\\UART16550")
public final class SerialDriver {
    static final int RECEIVE_BUFFER = 0;
    static final int TRANSMIT_HOLDING = 0;
    static final int INTERRUPT_ENABLE = 1;
    static final int INTERRUPT_IDENT = 2;
    static final int FIFO_CONTROL = 2;
    static final int LINE_CONTROL = 3;
    static final int MODEM_CONTROL = 4;
    static final int LINE_STATUS = 5;
    static final int MODEM_STATUS = 6;

    static final int IER_RDA = 0x01;
    static final int IER_THR = 0x02;
    static final int IER_RLS = 0x04;
    static final int IER_MS = 0x08;
    static final int IIR_NO_INTERRUPT_PENDING = 0x01;
    static final int IIR_RLS = 0x06;
    static final int IIR_RDA = 0x04;
    static final int IIR_CTI = 0x0c;
    static final int IIR_THR = 0x02;
    static final int IIR_MS = 0x00;
    static final int LSR_DR = 0x01;
    static final int LSR_OE = 0x02;
    static final int LSR_PE = 0x04;
    static final int LSR_FE = 0x08;
    static final int LSR_BI = 0x10;
    static final int LSR_THRE = 0x20;
    static final int LCR_DLAB = 0x80;
    static final int LCR_8_DATA = 0x03;
    static final int MCR_DTR = 0x01;
    static final int MCR_RTS = 0x02;
    static final int MCR_OUT2 = 0x08;
    static final int FCR_ENABLE = 0x01;
    static final int FCR_RCV_RESET = 0x02;
    static final int FCR_TX_RESET = 0x04;
    static final int FCR_RX_TRIGGER_8 = 0x80;
    static final int TX_FIFO_AMOUNT = 16;
    static final int SERIAL_TAG = 0x6c616953;
    static final int SERIAL_ERR_OVERRUN = 0xC0060001;

    static final int IOCTL_SERIAL_SET_TIMEOUTS = 0x001b001c; // CTL_CODE(FILE_DEVICE_SERIAL_PORT, 7, METHOD_BUFFERED, FILE_ANY_ACCESS)
    static final int IOCTL_SERIAL_GET_COMMSTATUS = 0x001b006c; // CTL_CODE(FILE_DEVICE_SERIAL_PORT, 27, METHOD_BUFFERED, FILE_ANY_ACCESS)

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::SerialAddDevice;
        DriverObject.DriverUnload = this::SerialUnload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::SerialCreateOpen;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::SerialClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::SerialRead;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = this::SerialWrite;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = this::SerialIoControl;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::SerialPnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int SerialAddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Out<DeviceObject> fdoOut = new Out<>();
        int status = IoCreateDevice(DriverObject, SerialExtension.class, null, FILE_DEVICE_SERIAL_PORT,
                FILE_DEVICE_SECURE_OPEN, true, fdoOut);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = fdoOut.value;
        SerialExtension ext = (SerialExtension) fdo.DeviceExtension;
        ext.Self = fdo;
        ext.Pdo = Pdo;
        IoInitializeRemoveLock(ext.RemoveLock, SERIAL_TAG, 0, 0);
        ext.ReadTotalTimeoutMs = 0;
        KeInitializeDpc(ext.CompleteWriteDpc, this::SerialCompleteWrite, ext);
        KeInitializeDpc(ext.CompleteReadDpc, this::SerialCompleteRead, ext);
        KeInitializeDpc(ext.TotalReadTimeoutDpc, this::SerialReadTimeout, ext);
        KeInitializeDpc(ext.CommErrorDpc, this::SerialCommError, ext);
        KeInitializeTimer(ext.ReadRequestTotalTimer);
        ext.LowerDevice = IoAttachDeviceToDeviceStack(fdo, Pdo);
        if (ext.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_DEVICE_NOT_READY;
        }
        fdo.Flags |= DO_DIRECT_IO;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int SerialCreateOpen(DeviceObject DeviceObject, Irp Irp) {
        SerialExtension ext = (SerialExtension) DeviceObject.DeviceExtension;
        int status = ext.Started ? STATUS_SUCCESS : STATUS_DEVICE_NOT_READY;
        if (NT_SUCCESS(status)) {
            // flush what arrived while nobody had the port open
            KeSynchronizeExecution(ext.Interrupt, this::SerialPurgeInterruptBuffer, ext);
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    @Role(KSynchronizeRoutine.class)
    boolean SerialPurgeInterruptBuffer(Object Context) {
        SerialExtension ext = (SerialExtension) Context;
        ext.FirstReadableChar = 0;
        ext.CharsInInterruptBuffer = 0;
        WRITE_PORT_UCHAR(ext.Controller + FIFO_CONTROL, (byte) (FCR_ENABLE | FCR_RCV_RESET | FCR_RX_TRIGGER_8));
        return true;
    }

    @Role(DriverDispatch.class)
    int SerialClose(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    // ------------------------------------------------------------------ queueing

    /**
     * Starts the IRP if its queue is idle, otherwise parks it on the queue with a cancel routine.
     * Returns the status the dispatch routine returns.
     */
    private int SerialStartOrQueue(SerialExtension ext, Irp Irp, boolean write) {
        Out<Integer> oldIrql = new Out<>();
        IoAcquireCancelSpinLock(oldIrql);
        java.util.LinkedList<Irp> queue = write ? ext.WriteQueue : ext.ReadQueue;
        Irp current = write ? ext.CurrentWriteIrp : ext.CurrentReadIrp;
        if (queue.isEmpty() && current == null) {
            if (write) {
                ext.CurrentWriteIrp = Irp;
            } else {
                ext.CurrentReadIrp = Irp;
            }
            IoReleaseCancelSpinLock(oldIrql.value);
            if (write) {
                SerialStartWrite(ext);
            } else {
                SerialStartRead(ext);
            }
            return STATUS_PENDING;
        }
        if (Irp.Cancel) {
            IoReleaseCancelSpinLock(oldIrql.value);
            Irp.IoStatus.Status = STATUS_CANCELLED;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(ext.RemoveLock, Irp);
            return STATUS_CANCELLED;
        }
        Irp.IoStatus.Status = STATUS_PENDING;
        queue.addLast(Irp);
        IoSetCancelRoutine(Irp, this::SerialCancelQueued);
        IoReleaseCancelSpinLock(oldIrql.value);
        return STATUS_PENDING;
    }

    @Role(DriverCancel.class)
    void SerialCancelQueued(DeviceObject DeviceObject, Irp Irp) {
        SerialExtension ext = (SerialExtension) DeviceObject.DeviceExtension;
        if (!ext.ReadQueue.remove(Irp)) {
            ext.WriteQueue.remove(Irp);
        }
        IoReleaseCancelSpinLock(Irp.CancelIrql);
        Irp.IoStatus.Status = STATUS_CANCELLED;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_SERIAL_INCREMENT);
        IoReleaseRemoveLock(ext.RemoveLock, Irp);
    }

    /**
     * Completes the current read or write and makes the next queued one current. Called with the
     * cancel spin lock held; releases it before completing. Returns whether a new IRP became current.
     */
    private boolean SerialTryToCompleteCurrent(SerialExtension ext, int oldIrql, int status, boolean write) {
        Irp irp = write ? ext.CurrentWriteIrp : ext.CurrentReadIrp;
        if (irp == null) {
            IoReleaseCancelSpinLock(oldIrql);
            return false;
        }
        IoSetCancelRoutine(irp, null);
        irp.IoStatus.Status = status;
        Irp next = SerialGetNext(ext, write);
        IoReleaseCancelSpinLock(oldIrql);
        IoCompleteRequest(irp, IO_SERIAL_INCREMENT);
        IoReleaseRemoveLock(ext.RemoveLock, irp);
        return next != null;
    }

    /** Pops the next IRP off the queue into the current slot. Cancel spin lock held. */
    private Irp SerialGetNext(SerialExtension ext, boolean write) {
        java.util.LinkedList<Irp> queue = write ? ext.WriteQueue : ext.ReadQueue;
        Irp next = null;
        while (!queue.isEmpty() && next == null) {
            Irp candidate = queue.removeFirst();
            if (IoSetCancelRoutine(candidate, null) != null) {
                next = candidate;
            }
        }
        if (write) {
            ext.CurrentWriteIrp = next;
        } else {
            ext.CurrentReadIrp = next;
        }
        return next;
    }

    // ------------------------------------------------------------------ write

    @Role(DriverDispatch.class)
    int SerialWrite(DeviceObject DeviceObject, Irp Irp) {
        SerialExtension ext = (SerialExtension) DeviceObject.DeviceExtension;
        int length = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
        if (length == 0) {
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
        Irp.IoStatus.Information = 0;
        IoMarkIrpPending(Irp);
        SerialStartOrQueue(ext, Irp, true);
        return STATUS_PENDING;
    }

    /** Hands current writes to the ISR until one is left running. */
    private void SerialStartWrite(SerialExtension ext) {
        boolean again = true;
        while (again) {
            again = false;
            Irp irp = ext.CurrentWriteIrp;
            byte[] data = MmGetSystemAddressForMdlSafe(irp.MdlAddress, NormalPagePriority);
            if (data == null) {
                Out<Integer> oldIrql = new Out<>();
                IoAcquireCancelSpinLock(oldIrql);
                irp.IoStatus.Information = 0;
                again = SerialTryToCompleteCurrent(ext, oldIrql.value, STATUS_INSUFFICIENT_RESOURCES, true);
                continue;
            }
            SerialExtension.SyncResult give = new SerialExtension.SyncResult();
            give.Extension = ext;
            give.Buffer = data;
            give.Wanted = IoGetCurrentIrpStackLocation(irp).Parameters.Write.Length;
            Out<Integer> oldIrql = new Out<>();
            IoAcquireCancelSpinLock(oldIrql);
            if (irp.Cancel) {
                irp.IoStatus.Information = 0;
                again = SerialTryToCompleteCurrent(ext, oldIrql.value, STATUS_CANCELLED, true);
                continue;
            }
            IoSetCancelRoutine(irp, this::SerialCancelCurrentWrite);
            IoReleaseCancelSpinLock(oldIrql.value);
            KeSynchronizeExecution(ext.Interrupt, this::SerialGiveWriteToIsr, give);
        }
    }

    @Role(KSynchronizeRoutine.class)
    boolean SerialGiveWriteToIsr(Object Context) {
        SerialExtension.SyncResult give = (SerialExtension.SyncResult) Context;
        SerialExtension ext = give.Extension;
        ext.WriteCurrentChar = give.Buffer;
        ext.WriteOffset = 0;
        ext.WriteLength = give.Wanted;
        ext.WriteTotal = give.Wanted;
        if (ext.HoldingEmpty) {
            // the transmitter is idle: toggle THR enable so the UART raises a fresh interrupt
            WRITE_PORT_UCHAR(ext.Controller + INTERRUPT_ENABLE, (byte) (ext.Ier & ~IER_THR));
        }
        ext.Ier |= IER_THR;
        WRITE_PORT_UCHAR(ext.Controller + INTERRUPT_ENABLE, (byte) ext.Ier);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean SerialGrabWriteFromIsr(Object Context) {
        SerialExtension.SyncResult grab = (SerialExtension.SyncResult) Context;
        SerialExtension ext = grab.Extension;
        grab.Copied = ext.WriteTotal - ext.WriteLength;
        grab.Finished = ext.WriteLength == 0;
        ext.WriteLength = 0;
        ext.WriteCurrentChar = null;
        return true;
    }

    @Role(DriverCancel.class)
    void SerialCancelCurrentWrite(DeviceObject DeviceObject, Irp Irp) {
        SerialExtension ext = (SerialExtension) DeviceObject.DeviceExtension;
        SerialExtension.SyncResult grab = new SerialExtension.SyncResult();
        grab.Extension = ext;
        KeSynchronizeExecution(ext.Interrupt, this::SerialGrabWriteFromIsr, grab);
        Irp.IoStatus.Information = grab.Copied;
        if (SerialTryToCompleteCurrent(ext, Irp.CancelIrql, STATUS_CANCELLED, true)) {
            SerialStartWrite(ext);
        }
    }

    @Role(KDeferredRoutine.class)
    void SerialCompleteWrite(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        SerialExtension ext = (SerialExtension) DeferredContext;
        Out<Integer> oldIrql = new Out<>();
        IoAcquireCancelSpinLock(oldIrql);
        Irp irp = ext.CurrentWriteIrp;
        if (irp == null) {
            IoReleaseCancelSpinLock(oldIrql.value);
            return;
        }
        irp.IoStatus.Information = IoGetCurrentIrpStackLocation(irp).Parameters.Write.Length;
        if (SerialTryToCompleteCurrent(ext, oldIrql.value, STATUS_SUCCESS, true)) {
            SerialStartWrite(ext);
        }
    }

    // ------------------------------------------------------------------ read

    @Role(DriverDispatch.class)
    int SerialRead(DeviceObject DeviceObject, Irp Irp) {
        SerialExtension ext = (SerialExtension) DeviceObject.DeviceExtension;
        if (IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length == 0) {
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
        Irp.IoStatus.Information = 0;
        IoMarkIrpPending(Irp);
        SerialStartOrQueue(ext, Irp, false);
        return STATUS_PENDING;
    }

    /**
     * Serves current reads from the interrupt buffer; a read that the buffer cannot fill is handed to
     * the ISR, with the total timer armed if the caller set a total timeout.
     */
    private void SerialStartRead(SerialExtension ext) {
        boolean again = true;
        while (again) {
            again = false;
            Irp irp = ext.CurrentReadIrp;
            SerialExtension.SyncResult take = new SerialExtension.SyncResult();
            take.Extension = ext;
            take.Buffer = MmGetSystemAddressForMdlSafe(irp.MdlAddress, NormalPagePriority);
            take.Wanted = IoGetCurrentIrpStackLocation(irp).Parameters.Read.Length;
            if (take.Buffer == null) {
                Out<Integer> oldIrql = new Out<>();
                IoAcquireCancelSpinLock(oldIrql);
                irp.IoStatus.Information = 0;
                again = SerialTryToCompleteCurrent(ext, oldIrql.value, STATUS_INSUFFICIENT_RESOURCES, false);
                continue;
            }
            Out<Integer> oldIrql = new Out<>();
            IoAcquireCancelSpinLock(oldIrql);
            if (irp.Cancel) {
                irp.IoStatus.Information = 0;
                again = SerialTryToCompleteCurrent(ext, oldIrql.value, STATUS_CANCELLED, false);
                continue;
            }
            KeSynchronizeExecution(ext.Interrupt, this::SerialUpdateAndSwitchToUser, take);
            if (take.Finished) {
                KeFlushIoBuffers(irp.MdlAddress, true, false);
                irp.IoStatus.Information = take.Copied;
                again = SerialTryToCompleteCurrent(ext, oldIrql.value, STATUS_SUCCESS, false);
                continue;
            }
            IoSetCancelRoutine(irp, this::SerialCancelCurrentRead);
            if (ext.ReadTotalTimeoutMs != 0) {
                KeSetTimer(ext.ReadRequestTotalTimer, -10_000L * ext.ReadTotalTimeoutMs, ext.TotalReadTimeoutDpc);
            }
            IoReleaseCancelSpinLock(oldIrql.value);
        }
    }

    /** Copies what the interrupt buffer holds; if that is not enough, the ISR fills the rest. */
    @Role(KSynchronizeRoutine.class)
    boolean SerialUpdateAndSwitchToUser(Object Context) {
        SerialExtension.SyncResult take = (SerialExtension.SyncResult) Context;
        SerialExtension ext = take.Extension;
        int n = Math.min(take.Wanted, ext.CharsInInterruptBuffer);
        for (int i = 0; i < n; i++) {
            take.Buffer[i] = ext.InterruptReadBuffer[ext.FirstReadableChar];
            ext.FirstReadableChar = (ext.FirstReadableChar + 1) % ext.InterruptReadBuffer.length;
        }
        ext.CharsInInterruptBuffer -= n;
        take.Copied = n;
        take.Finished = n == take.Wanted;
        if (!take.Finished) {
            ext.IsrReadBuffer = take.Buffer;
            ext.IsrReadWanted = take.Wanted;
            ext.IsrReadDone = n;
        }
        return true;
    }

    /** Takes an unfinished read back from the ISR; Finished says whether the ISR still had it. */
    @Role(KSynchronizeRoutine.class)
    boolean SerialGrabReadFromIsr(Object Context) {
        SerialExtension.SyncResult grab = (SerialExtension.SyncResult) Context;
        SerialExtension ext = grab.Extension;
        grab.Finished = ext.IsrReadBuffer != null;
        grab.Copied = ext.IsrReadDone;
        ext.IsrReadBuffer = null;
        ext.IsrReadWanted = 0;
        return true;
    }

    @Role(KDeferredRoutine.class)
    void SerialCompleteRead(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        SerialExtension ext = (SerialExtension) DeferredContext;
        Out<Integer> oldIrql = new Out<>();
        IoAcquireCancelSpinLock(oldIrql);
        KeCancelTimer(ext.ReadRequestTotalTimer);
        Irp irp = ext.CurrentReadIrp;
        if (irp == null) {
            IoReleaseCancelSpinLock(oldIrql.value);
            return;
        }
        KeFlushIoBuffers(irp.MdlAddress, true, false);
        irp.IoStatus.Information = IoGetCurrentIrpStackLocation(irp).Parameters.Read.Length;
        if (SerialTryToCompleteCurrent(ext, oldIrql.value, STATUS_SUCCESS, false)) {
            SerialStartRead(ext);
        }
    }

    @Role(KDeferredRoutine.class)
    void SerialReadTimeout(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        SerialExtension ext = (SerialExtension) DeferredContext;
        Out<Integer> oldIrql = new Out<>();
        IoAcquireCancelSpinLock(oldIrql);
        Irp irp = ext.CurrentReadIrp;
        SerialExtension.SyncResult grab = new SerialExtension.SyncResult();
        grab.Extension = ext;
        KeSynchronizeExecution(ext.Interrupt, this::SerialGrabReadFromIsr, grab);
        if (irp == null || !grab.Finished) {
            // the ISR finished the read first; its CompleteReadDpc owns the completion
            IoReleaseCancelSpinLock(oldIrql.value);
            return;
        }
        irp.IoStatus.Information = grab.Copied;
        if (SerialTryToCompleteCurrent(ext, oldIrql.value, STATUS_TIMEOUT, false)) { // missing: PioFlushMissing
            SerialStartRead(ext);
        }
    }

    @Role(DriverCancel.class)
    void SerialCancelCurrentRead(DeviceObject DeviceObject, Irp Irp) {
        SerialExtension ext = (SerialExtension) DeviceObject.DeviceExtension;
        KeCancelTimer(ext.ReadRequestTotalTimer);
        SerialExtension.SyncResult grab = new SerialExtension.SyncResult();
        grab.Extension = ext;
        KeSynchronizeExecution(ext.Interrupt, this::SerialGrabReadFromIsr, grab);
        KeFlushIoBuffers(Irp.MdlAddress, true, false);
        Irp.IoStatus.Information = grab.Copied;
        if (SerialTryToCompleteCurrent(ext, Irp.CancelIrql, STATUS_CANCELLED, false)) {
            SerialStartRead(ext);
        }
    }

    // ------------------------------------------------------------------ errors

    @Role(KSynchronizeRoutine.class)
    boolean SerialTakeErrors(Object Context) {
        SerialExtension.SyncResult take = (SerialExtension.SyncResult) Context;
        take.Errors = take.Extension.ErrorWord;
        take.Extension.ErrorWord = 0;
        return true;
    }

    @Role(KDeferredRoutine.class)
    void SerialCommError(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        SerialExtension ext = (SerialExtension) DeferredContext;
        SerialExtension.SyncResult take = new SerialExtension.SyncResult();
        take.Extension = ext;
        KeSynchronizeExecution(ext.Interrupt, this::SerialTakeErrors, take);
        if ((take.Errors & LSR_OE) != 0) {
            SerialLogError(ext, SERIAL_ERR_OVERRUN, take.Errors);
        }
    }

    private void SerialLogError(SerialExtension ext, int code, int dump) {
        IoErrorLogPacket entry = IoAllocateErrorLogEntry(ext.Self, 64);
        if (entry == null) {
            return;
        }
        entry.ErrorCode = code;
        entry.FinalStatus = STATUS_DEVICE_DATA_ERROR;
        entry.DumpDataSize = 4;
        entry.DumpData = new int[] {dump};
        IoWriteErrorLogEntry(entry);
    }

    // ------------------------------------------------------------------ interrupt

    @Role(KServiceRoutine.class)
    boolean SerialIsr(KInterrupt Interrupt, Object Context) {
        SerialExtension ext = (SerialExtension) Context;
        int iir = READ_PORT_UCHAR(ext.Controller + INTERRUPT_IDENT) & 0x0f;
        if ((iir & IIR_NO_INTERRUPT_PENDING) != 0) {
            return false;
        }
        while ((iir & IIR_NO_INTERRUPT_PENDING) == 0) {
            switch (iir) {
                case IIR_RLS:
                    SerialProcessLsr(ext);
                    break;
                case IIR_RDA:
                case IIR_CTI:
                    SerialHandleReceive(ext);
                    break;
                case IIR_THR:
                    ext.HoldingEmpty = true;
                    if (ext.WriteLength > 0) {
                        int amount = Math.min(TX_FIFO_AMOUNT, ext.WriteLength);
                        for (int i = 0; i < amount; i++) {
                            WRITE_PORT_UCHAR(ext.Controller + TRANSMIT_HOLDING, ext.WriteCurrentChar[ext.WriteOffset + i]);
                        }
                        ext.HoldingEmpty = false;
                        ext.TransmittedCount += amount;
                        ext.WriteOffset += amount;
                        ext.WriteLength -= amount;
                        if (ext.WriteLength == 0) {
                            ext.WriteCurrentChar = null;
                            KeInsertQueueDpc(ext.CompleteWriteDpc, null, null);
                        }
                    }
                    break;
                case IIR_MS:
                default:
                    READ_PORT_UCHAR(ext.Controller + MODEM_STATUS);
                    break;
            }
            iir = READ_PORT_UCHAR(ext.Controller + INTERRUPT_IDENT) & 0x0f;
        }
        return true;
    }

    /** Drains the receive FIFO, into the ISR-owned read if there is one. DIRQL. */
    private void SerialHandleReceive(SerialExtension ext) {
        while ((READ_PORT_UCHAR(ext.Controller + LINE_STATUS) & LSR_DR) != 0) {
            byte c = READ_PORT_UCHAR(ext.Controller + RECEIVE_BUFFER);
            ext.ReceivedCount++;
            if (ext.IsrReadBuffer != null) {
                ext.IsrReadBuffer[ext.IsrReadDone] = c;
                ext.IsrReadDone++;
                if (ext.IsrReadDone == ext.IsrReadWanted) {
                    ext.IsrReadBuffer = null;
                    KeInsertQueueDpc(ext.CompleteReadDpc, null, null);
                }
            } else if (ext.CharsInInterruptBuffer < ext.InterruptReadBuffer.length) {
                int slot = (ext.FirstReadableChar + ext.CharsInInterruptBuffer) % ext.InterruptReadBuffer.length;
                ext.InterruptReadBuffer[slot] = c;
                ext.CharsInInterruptBuffer++;
            } else {
                ext.BufferOverrunCount++;
            }
        }
    }

    /** Records line errors for the CommErrorDpc. DIRQL. */
    private void SerialProcessLsr(SerialExtension ext) {
        int lsr = READ_PORT_UCHAR(ext.Controller + LINE_STATUS) & 0xff;
        int errors = lsr & (LSR_OE | LSR_PE | LSR_FE | LSR_BI);
        if (errors != 0) {
            ext.ErrorWord |= errors;
            KeInsertQueueDpc(ext.CommErrorDpc, null, null);
        }
        if ((lsr & LSR_THRE) != 0) {
            ext.HoldingEmpty = true;
        }
    }

    // ------------------------------------------------------------------ ioctl

    @Role(DriverDispatch.class)
    int SerialIoControl(DeviceObject DeviceObject, Irp Irp) {
        SerialExtension ext = (SerialExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        switch (stack.Parameters.DeviceIoControl.IoControlCode) {
            case IOCTL_SERIAL_SET_TIMEOUTS: {
                if (stack.Parameters.DeviceIoControl.InputBufferLength < 4) {
                    status = STATUS_BUFFER_TOO_SMALL;
                    break;
                }
                byte[] in = Irp.AssociatedIrp.SystemBuffer;
                ext.ReadTotalTimeoutMs = (in[0] & 0xff) | (in[1] & 0xff) << 8;
                break;
            }
            case IOCTL_SERIAL_GET_COMMSTATUS: {
                if (stack.Parameters.DeviceIoControl.OutputBufferLength < 4) {
                    status = STATUS_BUFFER_TOO_SMALL;
                    break;
                }
                SerialExtension.SyncResult counts = new SerialExtension.SyncResult();
                counts.Extension = ext;
                KeSynchronizeExecution(ext.Interrupt, this::SerialGetQueueCounts, counts);
                byte[] out = Irp.AssociatedIrp.SystemBuffer;
                for (int i = 0; i < 4; i++) {
                    out[i] = (byte) (counts.Copied >>> (8 * i));
                }
                Irp.IoStatus.Information = 4;
                break;
            }
            default:
                status = STATUS_INVALID_DEVICE_REQUEST;
                break;
        }
        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    @Role(KSynchronizeRoutine.class)
    boolean SerialGetQueueCounts(Object Context) {
        SerialExtension.SyncResult counts = (SerialExtension.SyncResult) Context;
        counts.Copied = counts.Extension.CharsInInterruptBuffer;
        return true;
    }

    // ------------------------------------------------------------------ pnp

    @Role(DriverDispatch.class)
    int SerialPnp(DeviceObject DeviceObject, Irp Irp) {
        SerialExtension ext = (SerialExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE:
                status = SerialForwardAndWait(ext, Irp);
                if (NT_SUCCESS(status)) {
                    status = SerialStartDevice(ext, stack.Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            case IRP_MN_STOP_DEVICE:
                SerialStopDevice(ext);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(ext.LowerDevice, Irp);
            case IRP_MN_SURPRISE_REMOVAL:
            case IRP_MN_REMOVE_DEVICE:
                IoAcquireRemoveLock(ext.RemoveLock, Irp);
                if (stack.MinorFunction == IRP_MN_REMOVE_DEVICE) {
                    IoReleaseRemoveLockAndWait(ext.RemoveLock, Irp);
                } else {
                    IoReleaseRemoveLock(ext.RemoveLock, Irp);
                }
                SerialStopDevice(ext);
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

    private int SerialForwardAndWait(SerialExtension ext, Irp Irp) {
        KEvent done = new KEvent();
        KeInitializeEvent(done, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::SerialSyncCompletion, done, true, true, true);
        int status = IoCallDriver(ext.LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(done, Executive, KernelMode, false, null);
            status = Irp.IoStatus.Status;
        }
        return status;
    }

    @Role(IoCompletionRoutine.class)
    int SerialSyncCompletion(DeviceObject DeviceObject, Irp Irp, Object Context) {
        if (Irp.PendingReturned) {
            KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        }
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    private int SerialStartDevice(SerialExtension ext, CmResourceList resources) {
        boolean gotPort = false;
        boolean gotInterrupt = false;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            switch (d.Type) {
                case CmResourceTypePort:
                    if (d.u.Port.Length >= 8) {
                        ext.Controller = d.u.Port.Start;
                        gotPort = true;
                    }
                    break;
                case CmResourceTypeInterrupt:
                    ext.Vector = d.u.Interrupt.Vector;
                    ext.Irql = d.u.Interrupt.Level;
                    ext.Affinity = d.u.Interrupt.Affinity;
                    gotInterrupt = true;
                    break;
                default:
                    break;
            }
        }
        if (!gotPort || !gotInterrupt) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        // reset the UART while its interrupt is not yet connected: 9600 8N1, FIFOs on, IER clear
        SerialResetHardware(ext);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::SerialIsr, ext, null, ext.Vector, ext.Irql, ext.Irql,
                Latched, true, ext.Affinity, false);
        if (!NT_SUCCESS(status)) {
            SerialLogError(ext, IO_ERR_DRIVER_ERROR, ext.Vector);
            return status;
        }
        ext.Interrupt = interrupt.value;
        KeSynchronizeExecution(ext.Interrupt, this::SerialEnableInterrupts, ext);
        ext.Started = true;
        return STATUS_SUCCESS;
    }

    private void SerialResetHardware(SerialExtension ext) {
        long base = ext.Controller;
        ext.Ier = 0;
        WRITE_PORT_UCHAR(base + INTERRUPT_ENABLE, (byte) 0);
        WRITE_PORT_UCHAR(base + LINE_CONTROL, (byte) LCR_DLAB);
        WRITE_PORT_UCHAR(base + RECEIVE_BUFFER, (byte) 12);
        WRITE_PORT_UCHAR(base + INTERRUPT_ENABLE, (byte) 0);
        WRITE_PORT_UCHAR(base + LINE_CONTROL, (byte) LCR_8_DATA);
        WRITE_PORT_UCHAR(base + FIFO_CONTROL, (byte) (FCR_ENABLE | FCR_RCV_RESET | FCR_TX_RESET | FCR_RX_TRIGGER_8));
        READ_PORT_UCHAR(base + LINE_STATUS);
        READ_PORT_UCHAR(base + RECEIVE_BUFFER);
        READ_PORT_UCHAR(base + MODEM_STATUS);
        ext.HoldingEmpty = true;
        ext.FirstReadableChar = 0;
        ext.CharsInInterruptBuffer = 0;
    }

    @Role(KSynchronizeRoutine.class)
    boolean SerialEnableInterrupts(Object Context) {
        SerialExtension ext = (SerialExtension) Context;
        ext.Ier = IER_RDA | IER_RLS | IER_MS;
        WRITE_PORT_UCHAR(ext.Controller + MODEM_CONTROL, (byte) (MCR_DTR | MCR_RTS | MCR_OUT2));
        WRITE_PORT_UCHAR(ext.Controller + INTERRUPT_ENABLE, (byte) ext.Ier);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean SerialDisableInterrupts(Object Context) {
        SerialExtension ext = (SerialExtension) Context;
        ext.Ier = 0;
        WRITE_PORT_UCHAR(ext.Controller + INTERRUPT_ENABLE, (byte) 0);
        WRITE_PORT_UCHAR(ext.Controller + MODEM_CONTROL, (byte) 0);
        return true;
    }

    private void SerialStopDevice(SerialExtension ext) {
        if (!ext.Started) {
            return;
        }
        ext.Started = false;
        KeCancelTimer(ext.ReadRequestTotalTimer);
        KeSynchronizeExecution(ext.Interrupt, this::SerialDisableInterrupts, ext);
        IoDisconnectInterrupt(ext.Interrupt);
        KeRemoveQueueDpc(ext.CompleteWriteDpc);
        KeRemoveQueueDpc(ext.CompleteReadDpc);
        KeRemoveQueueDpc(ext.CommErrorDpc);
        ext.Interrupt = null;
    }

    @Role(DriverUnload.class)
    void SerialUnload(DriverObject DriverObject) {
    }
}
