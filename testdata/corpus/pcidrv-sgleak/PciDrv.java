package corpus.pcidrvsgleak;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.ArrayList;
import java.util.List;

/**
 * Function driver for an Intel 8255x (e100) Ethernet controller exposed as a plain device: writes
 * are sent frames, reads receive frames. A write is mapped with GetScatterGatherList into a transmit
 * control block and the command unit is resumed; received frames land in a ring of receive frame
 * descriptors. The ISR masks and acknowledges the controller and queues the DpcForIsr; the DPC
 * reaps received frames into pending reads under the receive lock, reaps finished transmit blocks
 * under the send lock, sends what waited for a free block, restarts the receive unit and unmasks
 * the controller through KeSynchronizeExecution. A watchdog timer first detects the link, then
 * looks for a hung transmitter and resets the controller.
 *
 * Re-expressed from: microsoft/Windows-driver-samples/general/pcidrv/kmdf/HW (isrdpc.c, nic_send.c, nic_recv.c, nic_init.c) (structure and facts, not code).
 */
@HardwareId("PCI\\VEN_8086&DEV_1229")
public final class PciDrv {
    // system control block (SCB) registers
    static final int SCB_STATUS = 0x00;
    static final int SCB_STAT_ACK = 0x01;
    static final int SCB_COMMAND = 0x02;
    static final int SCB_INT_MASK = 0x03;
    static final int SCB_GENERAL_POINTER = 0x04;
    static final int SCB_PORT = 0x08;
    static final int SCB_MDI_CONTROL = 0x10;

    static final int SCB_INT_ACTIVE_MASK = 0xFC;
    static final int SCB_INT_CX = 0x80;
    static final int SCB_INT_FR = 0x40;
    static final int SCB_INT_RNR = 0x10;
    static final int SCB_RUS_MASK = 0x3C;
    static final int SCB_RUS_READY = 0x10;
    static final int SCB_CUS_MASK = 0xC0;
    static final int SCB_CUS_IDLE = 0x00;
    static final int SCB_CUC_START = 0x10;
    static final int SCB_CUC_RESUME = 0x20;
    static final int SCB_RUC_START = 0x01;
    static final int SCB_ALL_MASKED = 0x01;
    static final int PORT_SOFTWARE_RESET = 0;
    static final int MDI_LINK_UP = 0x0004;

    static final int CB_STATUS_COMPLETE = 0x8000;
    static final int CB_STATUS_OK = 0x2000;
    static final int RFD_STATUS_COMPLETE = 0x8000;
    static final int RFD_STATUS_OK = 0x2000;

    static final int NIC_MAX_TCBS = 16;
    static final int NIC_MAX_RFDS = 32;
    static final int NIC_MAX_PHYS_BUF_COUNT = 8;
    static final int NIC_MAX_PACKET_SIZE = 1514;
    static final int NIC_MIN_PACKET_SIZE = 60;

    static final int fMP_ADAPTER_LINK_DETECTION = 0x1;
    static final int fMP_ADAPTER_HARDWARE_ERROR = 0x2;
    static final int fMP_ADAPTER_NO_CABLE = 0x4;
    static final int fMP_ADAPTER_RECV_STARTED = 0x8;

    static final long NIC_LINK_DETECTION_DELAY = -1_000_000L; // 100 ms
    static final long NIC_CHECK_FOR_HANG_DELAY = -20_000_000L; // 2 s
    static final int NIC_LINK_DETECTION_TICKS = 50;
    static final int TAG = 0x30303165;
    static final int IOCTL_NIC_GET_PERMANENT_ADDRESS = CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED,
            FILE_READ_ACCESS);

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
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
        int status = IoCreateDevice(DriverObject, FdoData.class, null, FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN,
                false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        FdoData fdoData = (FdoData) fdo.DeviceExtension;
        fdoData.Self = fdo;
        fdoData.Pdo = PhysicalDeviceObject;
        KeInitializeSpinLock(fdoData.SendLock);
        KeInitializeSpinLock(fdoData.RcvLock);
        IoInitializeRemoveLock(fdoData.RemoveLock, TAG, 0, 0);
        KeInitializeTimer(fdoData.WatchDogTimer);
        KeInitializeDpc(fdoData.WatchDogDpc, this::WatchDogTimerDpc, fdoData);
        fdoData.LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (fdoData.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_UNSUCCESSFUL;
        }
        IoInitializeDpcRequest(fdo, this::InterruptDpc);
        fdo.Flags |= DO_BUFFERED_IO;
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
    int DispatchDeviceControl(DeviceObject DeviceObject, Irp Irp) {
        FdoData fdoData = (FdoData) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status = STATUS_INVALID_DEVICE_REQUEST;
        int information = 0;
        if (stack.Parameters.DeviceIoControl.IoControlCode == IOCTL_NIC_GET_PERMANENT_ADDRESS) {
            if (stack.Parameters.DeviceIoControl.OutputBufferLength < 6) {
                status = STATUS_BUFFER_TOO_SMALL;
            } else {
                RtlCopyMemory(Irp.AssociatedIrp.SystemBuffer, 0, fdoData.PermanentAddress, 0, 6);
                information = 6;
                status = STATUS_SUCCESS;
            }
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    // ------------------------------------------------------------------ transmit

    @Role(DriverDispatch.class)
    int DispatchWrite(DeviceObject DeviceObject, Irp Irp) {
        FdoData fdoData = (FdoData) DeviceObject.DeviceExtension;
        int length = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
        int status;
        if (length < NIC_MIN_PACKET_SIZE || length > NIC_MAX_PACKET_SIZE) {
            status = STATUS_INVALID_PARAMETER;
        } else if ((fdoData.Flags & (fMP_ADAPTER_HARDWARE_ERROR | fMP_ADAPTER_NO_CABLE)) != 0) {
            status = STATUS_DEVICE_NOT_READY;
        } else {
            status = IoAcquireRemoveLock(fdoData.RemoveLock, Irp);
        }
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoMarkIrpPending(Irp);
        int oldIrql = KeRaiseIrqlToDpcLevel();
        KeAcquireSpinLockAtDpcLevel(fdoData.SendLock);
        fdoData.SendQueue.addLast(Irp);
        KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);
        CheckForQueuedSends(fdoData);
        KeLowerIrql(oldIrql);
        return STATUS_PENDING;
    }

    /** Hands waiting writes to the DMA engine while transmit blocks are free. DISPATCH_LEVEL. */
    private void CheckForQueuedSends(FdoData fdoData) {
        while (true) {
            KeAcquireSpinLockAtDpcLevel(fdoData.SendLock);
            if (fdoData.SendQueue.isEmpty() || fdoData.nBusySend >= NIC_MAX_TCBS) {
                KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);
                return;
            }
            Irp irp = fdoData.SendQueue.removeFirst();
            FdoData.Tcb tcb = fdoData.Tcbs[fdoData.CurrSendTail];
            tcb.Irp = irp;
            tcb.Length = IoGetCurrentIrpStackLocation(irp).Parameters.Write.Length;
            fdoData.CurrSendTail = (fdoData.CurrSendTail + 1) % NIC_MAX_TCBS;
            fdoData.nBusySend++;
            KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);
            int status = InitiateDmaTransfer(fdoData, tcb);
            if (!NT_SUCCESS(status)) {
                KeAcquireSpinLockAtDpcLevel(fdoData.SendLock);
                FreeSendPacket(fdoData, tcb, status);
                KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);
            }
        }
    }

    private int InitiateDmaTransfer(FdoData fdoData, FdoData.Tcb tcb) {
        Mdl mdl = tcb.Irp.MdlAddress;
        if (mdl == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        return fdoData.Adapter.DmaOperations.GetScatterGatherList(fdoData.Adapter, fdoData.Self, mdl,
                MmGetMdlVirtualAddress(mdl), tcb.Length, this::ProgramDmaFunction, tcb, true);
    }

    /** The transmit block's buffers are mapped: describe them to the controller and resume the CU. */
    @Role(DriverListControl.class)
    void ProgramDmaFunction(DeviceObject DeviceObject, Irp Irp, ScatterGatherList ScatterGather, Object Context) {
        FdoData fdoData = (FdoData) DeviceObject.DeviceExtension;
        FdoData.Tcb tcb = (FdoData.Tcb) Context;
        KeAcquireSpinLockAtDpcLevel(fdoData.SendLock);
        tcb.SgList = ScatterGather;
        tcb.TbdNumber = Math.min(ScatterGather.NumberOfElements, NIC_MAX_PHYS_BUF_COUNT);
        for (int i = 0; i < tcb.TbdNumber; i++) {
            tcb.TbdAddress[i] = ScatterGather.Elements[i].Address;
            tcb.TbdCount[i] = ScatterGather.Elements[i].Length;
        }
        tcb.CbStatus = 0;
        KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);
        KeSynchronizeExecution(fdoData.Interrupt, this::StartSend, tcb);
    }

    /** Points the command unit at the block (start when idle, resume otherwise). DIRQL. */
    @Role(KSynchronizeRoutine.class)
    boolean StartSend(Object SynchronizeContext) {
        FdoData.Tcb tcb = (FdoData.Tcb) SynchronizeContext;
        FdoData fdoData = tcb.Owner;
        long csr = fdoData.CSRAddress;
        int scbStatus = READ_REGISTER_UCHAR(csr + SCB_STATUS) & 0xFF;
        if ((scbStatus & SCB_CUS_MASK) == SCB_CUS_IDLE) {
            WRITE_REGISTER_ULONG(csr + SCB_GENERAL_POINTER, (int) tcb.HwTcbPhys);
            WRITE_REGISTER_UCHAR(csr + SCB_COMMAND, (byte) SCB_CUC_START);
        } else {
            WRITE_REGISTER_UCHAR(csr + SCB_COMMAND, (byte) SCB_CUC_RESUME);
        }
        return true;
    }

    /**
     * Ends the transfer of a transmit block and completes its write. Called with SendLock held at
     * DISPATCH_LEVEL; drops the lock around the completion and takes it again.
     */
    private void FreeSendPacket(FdoData fdoData, FdoData.Tcb tcb, int status) {
        Irp irp = tcb.Irp;
        ScatterGatherList sg = tcb.SgList;
        int length = tcb.Length;
        tcb.Irp = null;
        tcb.SgList = null;
        fdoData.CurrSendHead = (fdoData.CurrSendHead + 1) % NIC_MAX_TCBS;
        fdoData.nBusySend--;
        if (sg != null && NT_SUCCESS(status)) {
            fdoData.Adapter.DmaOperations.PutScatterGatherList(fdoData.Adapter, sg, true);
        }
        irp.IoStatus.Status = status;
        irp.IoStatus.Information = NT_SUCCESS(status) ? length : 0;
        KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);
        IoCompleteRequest(irp, IO_NO_INCREMENT);
        IoReleaseRemoveLock(fdoData.RemoveLock, irp);
        KeAcquireSpinLockAtDpcLevel(fdoData.SendLock);
    }

    /** Reaps the transmit blocks the controller has finished. SendLock held. */
    private void HandleSendInterrupt(FdoData fdoData) {
        while (fdoData.nBusySend > 0) {
            FdoData.Tcb tcb = fdoData.Tcbs[fdoData.CurrSendHead];
            if ((tcb.CbStatus & CB_STATUS_COMPLETE) == 0) {
                break;
            }
            int status = (tcb.CbStatus & CB_STATUS_OK) != 0 ? STATUS_SUCCESS : STATUS_DEVICE_DATA_ERROR;
            FreeSendPacket(fdoData, tcb, status);
        }
        fdoData.SendStuckTicks = 0;
    }

    // ------------------------------------------------------------------ receive

    @Role(DriverDispatch.class)
    int DispatchRead(DeviceObject DeviceObject, Irp Irp) {
        FdoData fdoData = (FdoData) DeviceObject.DeviceExtension;
        int status = IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length < NIC_MAX_PACKET_SIZE
                ? STATUS_BUFFER_TOO_SMALL
                : IoAcquireRemoveLock(fdoData.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(fdoData.RcvLock, oldIrql);
        IoSetCancelRoutine(Irp, this::CancelRead);
        if (Irp.Cancel && IoSetCancelRoutine(Irp, null) != null) {
            KeReleaseSpinLock(fdoData.RcvLock, oldIrql.value);
            Irp.IoStatus.Status = STATUS_CANCELLED;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(fdoData.RemoveLock, Irp);
            return STATUS_CANCELLED;
        }
        IoMarkIrpPending(Irp);
        fdoData.RecvQueue.addLast(Irp);
        KeReleaseSpinLock(fdoData.RcvLock, oldIrql.value);
        return STATUS_PENDING;
    }

    @Role(DriverCancel.class)
    void CancelRead(DeviceObject DeviceObject, Irp Irp) {
        FdoData fdoData = (FdoData) DeviceObject.DeviceExtension;
        IoReleaseCancelSpinLock(Irp.CancelIrql);
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(fdoData.RcvLock, oldIrql);
        fdoData.RecvQueue.remove(Irp);
        KeReleaseSpinLock(fdoData.RcvLock, oldIrql.value);
        // ours now: either still queued, or dropped by a dequeuer that lost the race with cancel
        Irp.IoStatus.Status = STATUS_CANCELLED;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        IoReleaseRemoveLock(fdoData.RemoveLock, Irp);
    }

    /** Takes the next pending read that is not being cancelled, or null. RcvLock held. */
    private Irp DequeueRead(FdoData fdoData) {
        while (!fdoData.RecvQueue.isEmpty()) {
            Irp irp = fdoData.RecvQueue.removeFirst();
            if (IoSetCancelRoutine(irp, null) != null) {
                return irp;
            }
        }
        return null;
    }

    /**
     * Copies every finished receive frame into a pending read (dropping it when none waits) and
     * gives the descriptor back to the controller. RcvLock held; the reads are returned for
     * completion after the lock is released.
     */
    private void HandleRecvInterrupt(FdoData fdoData, List<Irp> done) {
        while (true) {
            FdoData.Rfd rfd = fdoData.Rfds[fdoData.CurrRfd];
            if ((rfd.RfdStatus & RFD_STATUS_COMPLETE) == 0) {
                break;
            }
            if ((rfd.RfdStatus & RFD_STATUS_OK) != 0) {
                Irp read = DequeueRead(fdoData);
                if (read != null) {
                    int count = Math.min(rfd.ActualCount, NIC_MAX_PACKET_SIZE);
                    RtlCopyMemory(read.AssociatedIrp.SystemBuffer, 0, rfd.Data, 0, count);
                    read.IoStatus.Status = STATUS_SUCCESS;
                    read.IoStatus.Information = count;
                    done.add(read);
                }
            }
            rfd.RfdStatus = 0;
            rfd.ActualCount = 0;
            fdoData.CurrRfd = (fdoData.CurrRfd + 1) % NIC_MAX_RFDS;
        }
    }

    /** Restarts the receive unit when it has run out of resources. RcvLock held. */
    private void StartRecv(FdoData fdoData) {
        int scbStatus = READ_REGISTER_UCHAR(fdoData.CSRAddress + SCB_STATUS) & 0xFF;
        if ((scbStatus & SCB_RUS_MASK) == SCB_RUS_READY) {
            return;
        }
        WRITE_REGISTER_ULONG(fdoData.CSRAddress + SCB_GENERAL_POINTER,
                (int) (fdoData.RfdListPhys + fdoData.CurrRfd * 16L));
        WRITE_REGISTER_UCHAR(fdoData.CSRAddress + SCB_COMMAND, (byte) SCB_RUC_START);
        fdoData.Flags |= fMP_ADAPTER_RECV_STARTED;
    }

    // ------------------------------------------------------------------ interrupt

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        FdoData fdoData = (FdoData) fdo.DeviceExtension;
        long csr = fdoData.CSRAddress;
        if ((READ_REGISTER_UCHAR(csr + SCB_INT_MASK) & SCB_ALL_MASKED) != 0) {
            return false;
        }
        int active = READ_REGISTER_UCHAR(csr + SCB_STAT_ACK) & SCB_INT_ACTIVE_MASK;
        if (active == 0) {
            return false;
        }
        WRITE_REGISTER_UCHAR(csr + SCB_INT_MASK, (byte) SCB_ALL_MASKED);
        WRITE_REGISTER_UCHAR(csr + SCB_STAT_ACK, (byte) active);
        IoRequestDpc(fdo, null, null);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void InterruptDpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        FdoData fdoData = (FdoData) DeviceObject.DeviceExtension;
        List<Irp> done = new ArrayList<>();
        KeAcquireSpinLockAtDpcLevel(fdoData.RcvLock);
        HandleRecvInterrupt(fdoData, done);
        KeReleaseSpinLockFromDpcLevel(fdoData.RcvLock);
        for (Irp read : done) {
            IoCompleteRequest(read, IO_NO_INCREMENT);
            IoReleaseRemoveLock(fdoData.RemoveLock, read);
        }
        KeAcquireSpinLockAtDpcLevel(fdoData.SendLock);
        HandleSendInterrupt(fdoData);
        KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);
        CheckForQueuedSends(fdoData);
        KeAcquireSpinLockAtDpcLevel(fdoData.RcvLock);
        StartRecv(fdoData);
        KeReleaseSpinLockFromDpcLevel(fdoData.RcvLock);
        KeSynchronizeExecution(fdoData.Interrupt, this::EnableInterrupt, fdoData);
    } // expect: DmaResourceLeak

    @Role(KSynchronizeRoutine.class)
    boolean EnableInterrupt(Object SynchronizeContext) {
        FdoData fdoData = (FdoData) SynchronizeContext;
        WRITE_REGISTER_UCHAR(fdoData.CSRAddress + SCB_INT_MASK, (byte) 0);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean DisableInterrupt(Object SynchronizeContext) {
        FdoData fdoData = (FdoData) SynchronizeContext;
        WRITE_REGISTER_UCHAR(fdoData.CSRAddress + SCB_INT_MASK, (byte) SCB_ALL_MASKED);
        return true;
    }

    // ------------------------------------------------------------------ watchdog

    private void StartWatchDogTimer(FdoData fdoData) {
        long dueTime;
        if (!fdoData.CheckForHang) {
            fdoData.Flags |= fMP_ADAPTER_LINK_DETECTION;
            fdoData.LinkDetectionWait = false;
            fdoData.LinkDetectionTicks = 0;
            dueTime = NIC_LINK_DETECTION_DELAY;
        } else {
            dueTime = NIC_CHECK_FOR_HANG_DELAY;
        }
        KeSetTimer(fdoData.WatchDogTimer, dueTime, fdoData.WatchDogDpc);
    }

    /** Reads the PHY's link bit through the MDI control register; STATUS_PENDING while the link is down. */
    private int LinkDetection(FdoData fdoData) {
        int mdi = READ_REGISTER_ULONG(fdoData.CSRAddress + SCB_MDI_CONTROL);
        if ((mdi & MDI_LINK_UP) != 0) {
            fdoData.Flags &= ~(fMP_ADAPTER_LINK_DETECTION | fMP_ADAPTER_NO_CABLE);
            return STATUS_SUCCESS;
        }
        if (++fdoData.LinkDetectionTicks < NIC_LINK_DETECTION_TICKS) {
            return STATUS_PENDING;
        }
        fdoData.Flags = (fdoData.Flags & ~fMP_ADAPTER_LINK_DETECTION) | fMP_ADAPTER_NO_CABLE;
        return STATUS_SUCCESS;
    }

    /** TRUE when a transmit block has been outstanding for two watchdog periods. */
    private boolean CheckForHang(FdoData fdoData) {
        if ((fdoData.Flags & fMP_ADAPTER_LINK_DETECTION) != 0) {
            return false;
        }
        if ((fdoData.Flags & fMP_ADAPTER_HARDWARE_ERROR) != 0) {
            return true;
        }
        KeAcquireSpinLockAtDpcLevel(fdoData.SendLock);
        boolean stuck = fdoData.nBusySend > 0 && ++fdoData.SendStuckTicks >= 2;
        KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);
        return stuck;
    }

    @Role(KSynchronizeRoutine.class)
    boolean ResetController(Object SynchronizeContext) {
        FdoData fdoData = (FdoData) SynchronizeContext;
        long csr = fdoData.CSRAddress;
        WRITE_REGISTER_ULONG(csr + SCB_PORT, PORT_SOFTWARE_RESET);
        KeStallExecutionProcessor(20);
        WRITE_REGISTER_UCHAR(csr + SCB_INT_MASK, (byte) SCB_ALL_MASKED);
        WRITE_REGISTER_ULONG(csr + SCB_GENERAL_POINTER, (int) fdoData.RfdListPhys);
        WRITE_REGISTER_UCHAR(csr + SCB_COMMAND, (byte) SCB_RUC_START);
        WRITE_REGISTER_UCHAR(csr + SCB_INT_MASK, (byte) 0);
        return true;
    }

    /** Fails every transmit block still outstanding after a reset. */
    private int Reset(FdoData fdoData) {
        KeSynchronizeExecution(fdoData.Interrupt, this::ResetController, fdoData);
        KeAcquireSpinLockAtDpcLevel(fdoData.SendLock);
        while (fdoData.nBusySend > 0) {
            FreeSendPacket(fdoData, fdoData.Tcbs[fdoData.CurrSendHead], STATUS_IO_TIMEOUT);
        }
        fdoData.SendStuckTicks = 0;
        KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);
        if ((fdoData.Flags & fMP_ADAPTER_HARDWARE_ERROR) != 0 && ++fdoData.HwErrCount > 3) {
            return STATUS_DEVICE_DATA_ERROR;
        }
        fdoData.Flags &= ~fMP_ADAPTER_HARDWARE_ERROR;
        return STATUS_SUCCESS;
    }

    @Role(KDeferredRoutine.class)
    void WatchDogTimerDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        FdoData fdoData = (FdoData) DeferredContext;
        long dueTime = NIC_CHECK_FOR_HANG_DELAY;
        if (!fdoData.CheckForHang) {
            int status = LinkDetection(fdoData);
            if (status == STATUS_PENDING) {
                fdoData.LinkDetectionWait = true;
                dueTime = NIC_LINK_DETECTION_DELAY;
            } else {
                fdoData.CheckForHang = true;
            }
        } else if (CheckForHang(fdoData)) {
            int status = Reset(fdoData);
            if (!NT_SUCCESS(status)) {
                LogHardwareError(fdoData, status);
                return; // expect: DmaResourceLeak
            }
            CheckForQueuedSends(fdoData);
        }
        KeSetTimer(fdoData.WatchDogTimer, dueTime, fdoData.WatchDogDpc);
    } // expect: DmaResourceLeak

    private void LogHardwareError(FdoData fdoData, int status) {
        IoErrorLogPacket entry = IoAllocateErrorLogEntry(fdoData.Self, 48);
        if (entry != null) {
            entry.ErrorCode = IO_ERR_DRIVER_ERROR;
            entry.FinalStatus = status;
            entry.UniqueErrorValue = fdoData.HwErrCount;
            IoWriteErrorLogEntry(entry);
        }
    }

    // ------------------------------------------------------------------ PnP

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        FdoData fdoData = (FdoData) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE: {
                status = ForwardAndWait(fdoData, Irp);
                if (NT_SUCCESS(status)) {
                    status = StartDevice(fdoData,
                            IoGetCurrentIrpStackLocation(Irp).Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
            case IRP_MN_STOP_DEVICE:
            case IRP_MN_SURPRISE_REMOVAL: {
                StopDevice(fdoData);
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(fdoData.LowerDevice, Irp);
            }
            case IRP_MN_REMOVE_DEVICE: {
                IoAcquireRemoveLock(fdoData.RemoveLock, Irp);
                StopDevice(fdoData);
                IoReleaseRemoveLockAndWait(fdoData.RemoveLock, Irp);
                IoSkipCurrentIrpStackLocation(Irp);
                status = IoCallDriver(fdoData.LowerDevice, Irp);
                IoDetachDevice(fdoData.LowerDevice);
                IoDeleteDevice(DeviceObject);
                return status;
            }
            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(fdoData.LowerDevice, Irp);
        }
    }

    private int ForwardAndWait(FdoData fdoData, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::StartCompletion, event, true, true, true);
        int status = IoCallDriver(fdoData.LowerDevice, Irp);
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

    private int StartDevice(FdoData fdoData, CmResourceList resources) {
        int vector = -1;
        int level = 0;
        long affinity = 0;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypeMemory && fdoData.CSRAddress == 0) {
                fdoData.CSRAddress = MmMapIoSpace(d.u.Memory.Start, d.u.Memory.Length, MmNonCached);
                fdoData.CSRLength = d.u.Memory.Length;
            } else if (d.Type == CmResourceTypeInterrupt) {
                vector = d.u.Interrupt.Vector;
                level = d.u.Interrupt.Level;
                affinity = d.u.Interrupt.Affinity;
            }
        }
        if (fdoData.CSRAddress == 0 || vector < 0) {
            return STATUS_DEVICE_NOT_READY;
        }
        DeviceDescription description = new DeviceDescription();
        description.Version = DEVICE_DESCRIPTION_VERSION;
        description.Master = true;
        description.ScatterGather = true;
        description.Dma32BitAddresses = true;
        description.InterfaceType = PCIBus;
        description.MaximumLength = NIC_MAX_PACKET_SIZE;
        Out<Integer> mapRegisters = new Out<>();
        fdoData.Adapter = IoGetDmaAdapter(fdoData.Pdo, description, mapRegisters);
        if (fdoData.Adapter == null) {
            MmUnmapIoSpace(fdoData.CSRAddress, fdoData.CSRLength);
            fdoData.CSRAddress = 0;
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        InitializeAdapter(fdoData);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptService, fdoData.Self, null, vector, level, level,
                LevelSensitive, true, affinity, false);
        if (!NT_SUCCESS(status)) {
            fdoData.Adapter.DmaOperations.PutDmaAdapter(fdoData.Adapter);
            fdoData.Adapter = null;
            MmUnmapIoSpace(fdoData.CSRAddress, fdoData.CSRLength);
            fdoData.CSRAddress = 0;
            return status;
        }
        fdoData.Interrupt = interrupt.value;
        KeSynchronizeExecution(fdoData.Interrupt, this::EnableInterrupt, fdoData);
        fdoData.CheckForHang = false;
        StartWatchDogTimer(fdoData);
        return STATUS_SUCCESS;
    }

    /** Resets the controller, reads the MAC address and builds the TCB and RFD rings. Interrupt not yet connected. */
    private void InitializeAdapter(FdoData fdoData) {
        long csr = fdoData.CSRAddress;
        WRITE_REGISTER_ULONG(csr + SCB_PORT, PORT_SOFTWARE_RESET);
        KeStallExecutionProcessor(20);
        WRITE_REGISTER_UCHAR(csr + SCB_INT_MASK, (byte) SCB_ALL_MASKED);
        for (int i = 0; i < 6; i++) {
            fdoData.PermanentAddress[i] = READ_REGISTER_UCHAR(csr + 0x20 + i);
        }
        for (int i = 0; i < NIC_MAX_TCBS; i++) {
            fdoData.Tcbs[i] = new FdoData.Tcb();
            fdoData.Tcbs[i].Owner = fdoData;
            fdoData.Tcbs[i].HwTcbPhys = 0x10000L + i * 64L;
        }
        for (int i = 0; i < NIC_MAX_RFDS; i++) {
            fdoData.Rfds[i] = new FdoData.Rfd();
        }
        fdoData.CurrSendHead = 0;
        fdoData.CurrSendTail = 0;
        fdoData.nBusySend = 0;
        fdoData.CurrRfd = 0;
        fdoData.RfdListPhys = 0x20000L;
        WRITE_REGISTER_ULONG(csr + SCB_GENERAL_POINTER, (int) fdoData.RfdListPhys);
        WRITE_REGISTER_UCHAR(csr + SCB_COMMAND, (byte) SCB_RUC_START);
        fdoData.Flags |= fMP_ADAPTER_RECV_STARTED;
    }

    private void StopDevice(FdoData fdoData) {
        KeCancelTimer(fdoData.WatchDogTimer);
        if (fdoData.Interrupt != null) {
            KeSynchronizeExecution(fdoData.Interrupt, this::DisableInterrupt, fdoData);
            IoDisconnectInterrupt(fdoData.Interrupt);
            fdoData.Interrupt = null;
        }
        if (fdoData.Adapter != null) {
            fdoData.Adapter.DmaOperations.PutDmaAdapter(fdoData.Adapter);
            fdoData.Adapter = null;
        }
        if (fdoData.CSRAddress != 0) {
            MmUnmapIoSpace(fdoData.CSRAddress, fdoData.CSRLength);
            fdoData.CSRAddress = 0;
        }
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }
}
