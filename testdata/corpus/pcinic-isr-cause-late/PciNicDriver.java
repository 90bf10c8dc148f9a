package corpus.pcinicisrcauselate;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.ArrayList;
import java.util.List;

/**
 * PCI network card with memory-mapped control/status registers and programmed-I/O frame FIFOs.
 * The ISR recognises the card's interrupt from the SCB status word, masks all card interrupts,
 * acknowledges the causes and requests the DpcForIsr; the DPC, under the receive lock, moves
 * received frames to waiting reads, under the send lock retires transmitted frames and starts
 * queued writes, restarts the receive unit, and finally unmasks the card inside a SynchCritSection.
 * A watchdog timer first waits for the link and then checks for a hung transmitter, resetting the
 * card and failing the sends it was holding.
 * Re-expressed from: microsoft/Windows-driver-samples/general/pcidrv/kmdf/HW (isrdpc.c, nic_send.c, nic_recv.c, nic_init.c) (structure and facts, not code).
 */
@HardwareId("SIM\\PCINIC")
public final class PciNicDriver {
    static final int SCB_STATUS = 0x00;          // USHORT; high byte: interrupt causes, write 1 to ack
    static final int SCB_COMMAND_LOW = 0x02;     // UCHAR
    static final int SCB_COMMAND_HIGH = 0x03;    // UCHAR; interrupt mask
    static final int CSR_PORT = 0x08;            // ULONG
    static final int TX_DATA = 0x20;             // ULONG FIFO
    static final int TX_LENGTH = 0x24;           // ULONG: writing it queues the frame
    static final int RX_STATUS = 0x28;           // ULONG: bit 31 frame ready, low 16 bits length
    static final int RX_DATA = 0x2C;             // ULONG FIFO
    static final int TX_DONE_COUNT = 0x30;       // ULONG: frames sent since reset
    static final int SCB_INT_ACTIVE_MASK = 0xFC00;
    static final int SCB_INT_MASK = 0x01;
    static final int SCB_STATUS_FR = 0x4000;
    static final int SCB_CUC_START = 0x10;
    static final int SCB_RUC_START = 0x01;
    static final int PORT_SELECTIVE_RESET = 0x02;
    static final int RX_FRAME_READY = 0x80000000;
    static final int NIC_MAX_BUSY_SENDS = 4;
    static final int NIC_MAX_FRAME = 1514;
    static final long NIC_LINK_DETECTION_DELAY = -1_000_000L;
    static final long NIC_CHECK_FOR_HANG_DELAY = -20_000_000L;
    static final int NIC_TAG = 0x4349494e;
    static final int NIC_ERR_RESET = 0xC00A0001;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::PciDrvAddDevice;
        DriverObject.DriverUnload = this::PciDrvUnload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::PciDrvCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::PciDrvCreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::PciDrvRead;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = this::PciDrvWrite;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::PciDrvPnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int PciDrvAddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, FdoData.class, null, FILE_DEVICE_UNKNOWN, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        FdoData fdoData = (FdoData) fdo.DeviceExtension;
        fdoData.Self = fdo;
        IoInitializeRemoveLock(fdoData.RemoveLock, NIC_TAG, 0, 0);
        KeInitializeSpinLock(fdoData.SendLock);
        KeInitializeSpinLock(fdoData.RcvLock);
        IoInitializeDpcRequest(fdo, this::NICInterruptDpc);
        KeInitializeTimer(fdoData.WatchDogTimer);
        KeInitializeDpc(fdoData.WatchDogDpc, this::NICWatchDogTimerDpc, fdoData);
        fdoData.LowerDevice = IoAttachDeviceToDeviceStack(fdo, Pdo);
        if (fdoData.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_DEVICE_NOT_READY;
        }
        fdo.Flags |= DO_BUFFERED_IO;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int PciDrvCreateClose(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    // ------------------------------------------------------------------ hardware helpers

    /** Waits for the command unit to accept a command, then issues it. */
    private static int D100IssueScbCommand(FdoData fdoData, int command) {
        for (int i = 0; i < 1000; i++) {
            if (READ_REGISTER_UCHAR(fdoData.Csr + SCB_COMMAND_LOW) == 0) {
                WRITE_REGISTER_UCHAR(fdoData.Csr + SCB_COMMAND_LOW, (byte) command);
                return STATUS_SUCCESS;
            }
            KeStallExecutionProcessor(5);
        }
        return STATUS_DEVICE_DATA_ERROR;
    }

    @Role(KSynchronizeRoutine.class)
    boolean NICEnableInterrupt(Object Context) {
        FdoData fdoData = (FdoData) Context;
        fdoData.InterruptsMasked = false;
        WRITE_REGISTER_UCHAR(fdoData.Csr + SCB_COMMAND_HIGH, (byte) 0);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean NICDisableInterrupt(Object Context) {
        FdoData fdoData = (FdoData) Context;
        fdoData.InterruptsMasked = true;
        WRITE_REGISTER_UCHAR(fdoData.Csr + SCB_COMMAND_HIGH, (byte) SCB_INT_MASK);
        return true;
    }

    // ------------------------------------------------------------------ interrupt

    @Role(KServiceRoutine.class)
    boolean NICInterruptIsr(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        FdoData fdoData = (FdoData) fdo.DeviceExtension;
        if (fdoData.InterruptsMasked) {
            return false;
        }
        int intStatus = READ_REGISTER_USHORT(fdoData.Csr + SCB_STATUS) & SCB_INT_ACTIVE_MASK;
        if (intStatus == 0) {
            return false;
        }
        fdoData.InterruptsMasked = true;
        WRITE_REGISTER_UCHAR(fdoData.Csr + SCB_COMMAND_HIGH, (byte) SCB_INT_MASK);
        WRITE_REGISTER_USHORT(fdoData.Csr + SCB_STATUS, (short) intStatus);
        IoRequestDpc(fdo, null, null);
        fdoData.LastIntStatus |= intStatus; // expect: IsrRequestDpcNotLast
        return true;
    }

    @Role(IoDpcRoutine.class)
    void NICInterruptDpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        FdoData fdoData = (FdoData) DeviceObject.DeviceExtension;
        List<Irp> completions = new ArrayList<>();

        int causes = fdoData.LastIntStatus; // expect: SharedContextUnsynchronized
        fdoData.LastIntStatus = 0; // expect: SharedContextUnsynchronized
        if ((causes & SCB_STATUS_FR) != 0) {
            KeAcquireSpinLockAtDpcLevel(fdoData.RcvLock);
            NICHandleRecvInterrupt(fdoData, completions);
            KeReleaseSpinLockFromDpcLevel(fdoData.RcvLock);
        }

        KeAcquireSpinLockAtDpcLevel(fdoData.SendLock);
        NICHandleSendInterrupt(fdoData, completions);
        NICCheckForQueuedSends(fdoData, completions);
        KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);

        KeAcquireSpinLockAtDpcLevel(fdoData.RcvLock);
        NICStartRecv(fdoData);
        KeReleaseSpinLockFromDpcLevel(fdoData.RcvLock);

        NICCompleteRequests(fdoData, completions);
        KeSynchronizeExecution(fdoData.Interrupt, this::NICEnableInterrupt, fdoData);
    }

    private void NICCompleteRequests(FdoData fdoData, List<Irp> completions) {
        for (Irp irp : completions) {
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(fdoData.RemoveLock, irp);
        }
    }

    // ------------------------------------------------------------------ receive

    /** Moves every received frame out of the FIFO into the oldest waiting read. RcvLock held. */
    private void NICHandleRecvInterrupt(FdoData fdoData, List<Irp> completions) {
        while (true) {
            int rxStatus = READ_REGISTER_ULONG(fdoData.Csr + RX_STATUS);
            if ((rxStatus & RX_FRAME_READY) == 0) {
                return;
            }
            int length = Math.min(rxStatus & 0xffff, NIC_MAX_FRAME);
            byte[] frame = new byte[length];
            for (int i = 0; i < length; i += 4) {
                int word = READ_REGISTER_ULONG(fdoData.Csr + RX_DATA);
                for (int b = 0; b < 4 && i + b < length; b++) {
                    frame[i + b] = (byte) (word >>> (8 * b));
                }
            }
            Irp read = NICDequeueRequest(fdoData.PendingReadQueue);
            if (read == null) {
                fdoData.RcvDropped++;
                continue;
            }
            int room = IoGetCurrentIrpStackLocation(read).Parameters.Read.Length;
            int n = Math.min(room, length);
            RtlCopyMemory(read.AssociatedIrp.SystemBuffer, 0, frame, 0, n);
            read.IoStatus.Information = n;
            read.IoStatus.Status = n < length ? STATUS_BUFFER_TOO_SMALL : STATUS_SUCCESS;
            completions.add(read);
        }
    }

    /** Restarts the receive unit if it stopped for lack of room. RcvLock held. */
    private void NICStartRecv(FdoData fdoData) {
        if (!fdoData.ReceiverStarted) {
            if (NT_SUCCESS(D100IssueScbCommand(fdoData, SCB_RUC_START))) {
                fdoData.ReceiverStarted = true;
            }
        }
    }

    /** Takes the first request whose cancel routine can still be cleared. Queue lock held. */
    private static Irp NICDequeueRequest(java.util.ArrayDeque<Irp> queue) {
        while (!queue.isEmpty()) {
            Irp irp = queue.pollFirst();
            if (IoSetCancelRoutine(irp, null) != null) {
                return irp;
            }
        }
        return null;
    }

    @Role(DriverDispatch.class)
    int PciDrvRead(DeviceObject DeviceObject, Irp Irp) {
        FdoData fdoData = (FdoData) DeviceObject.DeviceExtension;
        int status = IoAcquireRemoveLock(fdoData.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(fdoData.RcvLock, oldIrql);
        IoSetCancelRoutine(Irp, this::PciDrvCancelRead);
        if (Irp.Cancel && IoSetCancelRoutine(Irp, null) != null) {
            KeReleaseSpinLock(fdoData.RcvLock, oldIrql.value);
            Irp.IoStatus.Status = STATUS_CANCELLED;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(fdoData.RemoveLock, Irp);
            return STATUS_CANCELLED;
        }
        IoMarkIrpPending(Irp);
        fdoData.PendingReadQueue.addLast(Irp);
        KeReleaseSpinLock(fdoData.RcvLock, oldIrql.value);
        return STATUS_PENDING;
    }

    @Role(DriverCancel.class)
    void PciDrvCancelRead(DeviceObject DeviceObject, Irp Irp) {
        FdoData fdoData = (FdoData) DeviceObject.DeviceExtension;
        IoReleaseCancelSpinLock(Irp.CancelIrql);
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(fdoData.RcvLock, oldIrql);
        fdoData.PendingReadQueue.remove(Irp);
        KeReleaseSpinLock(fdoData.RcvLock, oldIrql.value);
        Irp.IoStatus.Status = STATUS_CANCELLED;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        IoReleaseRemoveLock(fdoData.RemoveLock, Irp);
    }

    // ------------------------------------------------------------------ send

    @Role(DriverDispatch.class)
    int PciDrvWrite(DeviceObject DeviceObject, Irp Irp) {
        FdoData fdoData = (FdoData) DeviceObject.DeviceExtension;
        int length = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
        int status = length == 0 || length > NIC_MAX_FRAME ? STATUS_INVALID_PARAMETER
                : IoAcquireRemoveLock(fdoData.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoMarkIrpPending(Irp);
        List<Irp> completions = new ArrayList<>();
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(fdoData.SendLock, oldIrql);
        fdoData.PendingWriteQueue.addLast(Irp);
        IoSetCancelRoutine(Irp, this::PciDrvCancelWrite);
        NICCheckForQueuedSends(fdoData, completions);
        KeReleaseSpinLock(fdoData.SendLock, oldIrql.value);
        NICCompleteRequests(fdoData, completions);
        return STATUS_PENDING;
    }

    @Role(DriverCancel.class)
    void PciDrvCancelWrite(DeviceObject DeviceObject, Irp Irp) {
        FdoData fdoData = (FdoData) DeviceObject.DeviceExtension;
        IoReleaseCancelSpinLock(Irp.CancelIrql);
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(fdoData.SendLock, oldIrql);
        fdoData.PendingWriteQueue.remove(Irp);
        KeReleaseSpinLock(fdoData.SendLock, oldIrql.value);
        Irp.IoStatus.Status = STATUS_CANCELLED;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        IoReleaseRemoveLock(fdoData.RemoveLock, Irp);
    }

    /** Starts queued writes while the card has room for them. SendLock held. */
    private void NICCheckForQueuedSends(FdoData fdoData, List<Irp> completions) {
        while (fdoData.BusySends.size() < NIC_MAX_BUSY_SENDS) {
            Irp irp = NICDequeueRequest(fdoData.PendingWriteQueue);
            if (irp == null) {
                return;
            }
            int status = NICSendPacket(fdoData, irp);
            if (!NT_SUCCESS(status)) {
                irp.IoStatus.Status = status;
                irp.IoStatus.Information = 0;
                completions.add(irp);
            }
        }
    }

    /** Copies one frame into the transmit FIFO and starts the command unit. SendLock held. */
    private int NICSendPacket(FdoData fdoData, Irp irp) {
        byte[] frame = irp.AssociatedIrp.SystemBuffer;
        int length = IoGetCurrentIrpStackLocation(irp).Parameters.Write.Length;
        for (int i = 0; i < length; i += 4) {
            int word = 0;
            for (int b = 0; b < 4 && i + b < length; b++) {
                word |= (frame[i + b] & 0xff) << (8 * b);
            }
            WRITE_REGISTER_ULONG(fdoData.Csr + TX_DATA, word);
        }
        WRITE_REGISTER_ULONG(fdoData.Csr + TX_LENGTH, length);
        int status = D100IssueScbCommand(fdoData, SCB_CUC_START);
        if (NT_SUCCESS(status)) {
            fdoData.BusySends.addLast(irp);
        }
        return status;
    }

    /** Retires the frames the card reports as sent, oldest first. SendLock held. */
    private void NICHandleSendInterrupt(FdoData fdoData, List<Irp> completions) {
        int done = READ_REGISTER_ULONG(fdoData.Csr + TX_DONE_COUNT);
        while (fdoData.TxDoneSeen != done && !fdoData.BusySends.isEmpty()) {
            Irp irp = fdoData.BusySends.pollFirst();
            irp.IoStatus.Status = STATUS_SUCCESS;
            irp.IoStatus.Information = IoGetCurrentIrpStackLocation(irp).Parameters.Write.Length;
            completions.add(irp);
            fdoData.TxDoneSeen++;
        }
        fdoData.HangTicks = 0;
    }

    // ------------------------------------------------------------------ watchdog and reset

    @Role(KDeferredRoutine.class)
    void NICWatchDogTimerDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        FdoData fdoData = (FdoData) DeferredContext;
        if (!fdoData.CheckForHang) {
            // link detection: the first tick after start only enables hang checks
            fdoData.CheckForHang = true;
        } else if (NICCheckForHang(fdoData)) {
            int status = NICReset(fdoData);
            if (!NT_SUCCESS(status)) {
                NICLogError(fdoData, status);
                return;
            }
        }
        KeSetTimer(fdoData.WatchDogTimer, NIC_CHECK_FOR_HANG_DELAY, fdoData.WatchDogDpc);
    }

    /** Sends outstanding across two ticks with no progress mean the transmitter hung. */
    private boolean NICCheckForHang(FdoData fdoData) {
        KeAcquireSpinLockAtDpcLevel(fdoData.SendLock);
        boolean hung = false;
        if (!fdoData.BusySends.isEmpty()) {
            fdoData.HangTicks++;
            hung = fdoData.HangTicks >= 2;
        }
        KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);
        return hung;
    }

    /** Resets the card and fails what it was sending and what waited to be sent. DISPATCH_LEVEL. */
    private int NICReset(FdoData fdoData) {
        KeSynchronizeExecution(fdoData.Interrupt, this::NICDisableInterrupt, fdoData);
        KeAcquireSpinLockAtDpcLevel(fdoData.SendLock);
        WRITE_REGISTER_ULONG(fdoData.Csr + CSR_PORT, PORT_SELECTIVE_RESET);
        KeStallExecutionProcessor(20);
        fdoData.TxDoneSeen = 0;
        fdoData.HangTicks = 0;
        fdoData.ResetCount++;
        NICFreeBusySendPackets(fdoData);
        NICFreeQueuedSendPackets(fdoData);
        KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);
        // the reset stopped the receive unit too
        KeAcquireSpinLockAtDpcLevel(fdoData.RcvLock);
        fdoData.ReceiverStarted = false;
        NICStartRecv(fdoData);
        KeReleaseSpinLockFromDpcLevel(fdoData.RcvLock);
        KeSynchronizeExecution(fdoData.Interrupt, this::NICEnableInterrupt, fdoData);
        return fdoData.ReceiverStarted ? STATUS_SUCCESS : STATUS_DEVICE_DATA_ERROR;
    }

    /** Completes the sends the card held when it was reset. SendLock held; dropped around completion. */
    private void NICFreeBusySendPackets(FdoData fdoData) {
        while (!fdoData.BusySends.isEmpty()) {
            Irp irp = fdoData.BusySends.pollFirst();
            irp.IoStatus.Status = STATUS_DEVICE_DATA_ERROR;
            irp.IoStatus.Information = 0;
            KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(fdoData.RemoveLock, irp);
            KeAcquireSpinLockAtDpcLevel(fdoData.SendLock);
        }
    }

    /** Completes the writes still waiting on the queue. SendLock held; dropped around completion. */
    private void NICFreeQueuedSendPackets(FdoData fdoData) {
        while (true) {
            Irp irp = NICDequeueRequest(fdoData.PendingWriteQueue);
            if (irp == null) {
                return;
            }
            irp.IoStatus.Status = STATUS_DEVICE_DATA_ERROR;
            irp.IoStatus.Information = 0;
            KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(fdoData.RemoveLock, irp);
            KeAcquireSpinLockAtDpcLevel(fdoData.SendLock);
        }
    }

    private void NICLogError(FdoData fdoData, int status) {
        IoErrorLogPacket entry = IoAllocateErrorLogEntry(fdoData.Self, 48);
        if (entry != null) {
            entry.ErrorCode = NIC_ERR_RESET;
            entry.FinalStatus = status;
            entry.RetryCount = fdoData.ResetCount;
            IoWriteErrorLogEntry(entry);
        }
    }

    // ------------------------------------------------------------------ pnp

    @Role(DriverDispatch.class)
    int PciDrvPnp(DeviceObject DeviceObject, Irp Irp) {
        FdoData fdoData = (FdoData) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE:
                status = PciDrvForwardAndWait(fdoData, Irp);
                if (NT_SUCCESS(status)) {
                    status = NICStartDevice(fdoData, stack.Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            case IRP_MN_REMOVE_DEVICE:
                IoAcquireRemoveLock(fdoData.RemoveLock, Irp);
                NICStopDevice(fdoData);
                IoReleaseRemoveLockAndWait(fdoData.RemoveLock, Irp);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                status = IoCallDriver(fdoData.LowerDevice, Irp);
                IoDetachDevice(fdoData.LowerDevice);
                IoDeleteDevice(DeviceObject);
                return status;
            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(fdoData.LowerDevice, Irp);
        }
    }

    private int PciDrvForwardAndWait(FdoData fdoData, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::PciDrvStartCompletion, event, true, true, true);
        int status = IoCallDriver(fdoData.LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(event, Executive, KernelMode, false, null);
            status = Irp.IoStatus.Status;
        }
        return status;
    }

    @Role(IoCompletionRoutine.class)
    int PciDrvStartCompletion(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    private int NICStartDevice(FdoData fdoData, CmResourceList resources) {
        boolean haveCsr = false;
        boolean haveInterrupt = false;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypeMemory && !haveCsr) {
                fdoData.CsrPhysical = d.u.Memory.Start;
                fdoData.CsrLength = d.u.Memory.Length;
                haveCsr = true;
            } else if (d.Type == CmResourceTypeInterrupt) {
                fdoData.Vector = d.u.Interrupt.Vector;
                fdoData.Irql = d.u.Interrupt.Level;
                fdoData.Affinity = d.u.Interrupt.Affinity;
                haveInterrupt = true;
            }
        }
        if (!haveCsr || !haveInterrupt) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        fdoData.Csr = MmMapIoSpace(fdoData.CsrPhysical, fdoData.CsrLength, MmNonCached);
        if (fdoData.Csr == 0) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        // the card comes out of reset with interrupts masked
        WRITE_REGISTER_ULONG(fdoData.Csr + CSR_PORT, PORT_SELECTIVE_RESET);
        KeStallExecutionProcessor(20);
        WRITE_REGISTER_UCHAR(fdoData.Csr + SCB_COMMAND_HIGH, (byte) SCB_INT_MASK);
        fdoData.InterruptsMasked = true;
        fdoData.TxDoneSeen = 0;
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::NICInterruptIsr, fdoData.Self, null, fdoData.Vector,
                fdoData.Irql, fdoData.Irql, LevelSensitive, true, fdoData.Affinity, false);
        if (!NT_SUCCESS(status)) {
            MmUnmapIoSpace(fdoData.Csr, fdoData.CsrLength);
            fdoData.Csr = 0;
            return status;
        }
        fdoData.Interrupt = interrupt.value;
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(fdoData.RcvLock, oldIrql);
        NICStartRecv(fdoData);
        KeReleaseSpinLock(fdoData.RcvLock, oldIrql.value);
        KeSynchronizeExecution(fdoData.Interrupt, this::NICEnableInterrupt, fdoData);
        fdoData.CheckForHang = false;
        KeSetTimer(fdoData.WatchDogTimer, NIC_LINK_DETECTION_DELAY, fdoData.WatchDogDpc);
        return STATUS_SUCCESS;
    }

    private void NICStopDevice(FdoData fdoData) {
        if (fdoData.Interrupt == null) {
            return;
        }
        KeCancelTimer(fdoData.WatchDogTimer);
        KeSynchronizeExecution(fdoData.Interrupt, this::NICDisableInterrupt, fdoData);
        IoDisconnectInterrupt(fdoData.Interrupt);
        fdoData.Interrupt = null;
        MmUnmapIoSpace(fdoData.Csr, fdoData.CsrLength);
        fdoData.Csr = 0;
    }

    @Role(DriverUnload.class)
    void PciDrvUnload(DriverObject DriverObject) {
    }
}
