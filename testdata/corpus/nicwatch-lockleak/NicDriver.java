package corpus.nicwatchlockleak;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

import java.util.ArrayList;
import java.util.List;

/**
 * A PCI network adapter driver in the shape of the WDK's pcidrv sample. Its watchdog is a KTIMER
 * with a CustomDpc that re-arms itself: right after start it waits for link detection (sends
 * queue up until the link is known); afterwards it checks every two seconds for a hang (a send the
 * hardware has held for too many ticks, a hardware error) and resets the adapter under its three
 * spin locks, taken in order and released on every exit. The ISR captures the interrupt cause and
 * queues a DPC that completes the sends the hardware finished.
 * Re-expressed from: microsoft/Windows-driver-samples/general/pcidrv/kmdf/HW/isrdpc.c (NICWatchDogEvtTimerFunc, NICCheckForHang, NICReset, NICLinkDetection; structure and facts, not code).
 */
@HardwareId("SIM\\E100")
public final class NicDriver {
    static final int TAG = 0x3030316e;
    static final long NIC_LINK_DETECTION_DELAY = -100 * 10000L;
    static final long NIC_CHECK_FOR_HANG_DELAY = -2000 * 10000L;
    static final int NIC_SEND_HANG_THRESHOLD = 5;
    static final int NIC_MAX_LINK_RETRIES = 30;
    static final int NIC_HARDWARE_ERROR_THRESHOLD = 4;
    static final int MAX_PACKET = 1514;
    // ports
    static final int SCB_STATUS = 0x00;
    static final int SCB_COMMAND = 0x02;
    static final int SCB_INT_MASK = 0x03;
    static final int TX_DATA = 0x04;
    static final int TX_LENGTH = 0x06;
    static final int TX_DONE_COUNT = 0x08;
    static final int PHY_STATUS = 0x0A;
    static final int PORT_RESET = 0x0C;
    static final int SCB_INT_TX_DONE = 0x01;
    static final int SCB_INT_HW_ERROR = 0x80;
    static final int CMD_TX_START = 0x10;
    static final int PHY_LINK_UP = 0x04;
    static final int PORT_SELECTIVE_RESET = 0x02;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        DriverObject.DriverUnload = this::Unload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = this::DispatchWrite;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::DispatchPnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject PhysicalDeviceObject) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, NicExtension.class, null, FILE_DEVICE_UNKNOWN, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        NicExtension fdoData = (NicExtension) fdo.DeviceExtension;
        fdoData.Self = fdo;
        fdoData.Pdo = PhysicalDeviceObject;
        IoInitializeRemoveLock(fdoData.RemoveLock, TAG, 0, 0);
        KeInitializeSpinLock(fdoData.Lock);
        KeInitializeSpinLock(fdoData.SendLock);
        KeInitializeSpinLock(fdoData.RcvLock);
        KeInitializeDpc(fdoData.InterruptDpc, this::InterruptDpc, fdoData);
        KeInitializeTimerEx(fdoData.WatchDogTimer, NotificationTimer);
        KeInitializeDpc(fdoData.WatchDogDpc, this::WatchDogTimerDpc, fdoData);
        fdoData.NumRfd = 32;
        fdoData.CurrNumRfd = 32;
        fdoData.LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (fdoData.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_UNSUCCESSFUL;
        }
        fdo.Flags |= DO_BUFFERED_IO;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int CreateClose(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    // ---- sends ----

    @Role(DriverDispatch.class)
    int DispatchWrite(DeviceObject DeviceObject, Irp Irp) {
        NicExtension fdoData = (NicExtension) DeviceObject.DeviceExtension;
        int length = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
        if (length == 0 || length > MAX_PACKET) {
            Irp.IoStatus.Status = STATUS_INVALID_PARAMETER;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_INVALID_PARAMETER;
        }
        int status = IoAcquireRemoveLock(fdoData.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoMarkIrpPending(Irp);
        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(fdoData.SendLock, irql);
        if ((fdoData.Flags & (NicExtension.fMP_ADAPTER_LINK_DETECTION
                | NicExtension.fMP_ADAPTER_RESET_IN_PROGRESS)) != 0) {
            // no link yet, or resetting: wait, cancelably
            IoSetCancelRoutine(Irp, this::CancelSend);
            if (Irp.Cancel && IoSetCancelRoutine(Irp, null) != null) {
                KeReleaseSpinLock(fdoData.SendLock, irql.value);
                FailSend(fdoData, Irp, STATUS_CANCELLED);
                return STATUS_PENDING;
            }
            fdoData.SendWaitList.addLast(Irp);
        } else {
            SendPacketLocked(fdoData, Irp);
        }
        KeReleaseSpinLock(fdoData.SendLock, irql.value);
        return STATUS_PENDING;
    }

    private void FailSend(NicExtension fdoData, Irp irp, int status) {
        irp.IoStatus.Status = status;
        irp.IoStatus.Information = 0;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
        IoReleaseRemoveLock(fdoData.RemoveLock, irp);
    }

    @Role(DriverCancel.class)
    void CancelSend(DeviceObject DeviceObject, Irp Irp) {
        NicExtension fdoData = (NicExtension) DeviceObject.DeviceExtension;
        IoReleaseCancelSpinLock(Irp.CancelIrql);
        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(fdoData.SendLock, irql);
        fdoData.SendWaitList.remove(Irp);
        KeReleaseSpinLock(fdoData.SendLock, irql.value);
        FailSend(fdoData, Irp, STATUS_CANCELLED);
    }

    /** Hands one packet to the hardware. Call holding SendLock. */
    private void SendPacketLocked(NicExtension fdoData, Irp irp) {
        NicExtension.Tcb tcb = new NicExtension.Tcb();
        tcb.Irp = irp;
        tcb.Length = IoGetCurrentIrpStackLocation(irp).Parameters.Write.Length;
        fdoData.BusySends.addLast(tcb);
        fdoData.nBusySend++;
        KeSynchronizeExecution(fdoData.Interrupt, this::ProgramSend, tcb);
    }

    /** Copies the frame into the transmit FIFO and starts it. Runs at DIRQL. */
    @Role(KSynchronizeRoutine.class)
    boolean ProgramSend(Object SynchronizeContext) {
        NicExtension.Tcb tcb = (NicExtension.Tcb) SynchronizeContext;
        NicExtension fdoData = (NicExtension) IoGetCurrentIrpStackLocation(tcb.Irp).DeviceObject.DeviceExtension;
        byte[] frame = tcb.Irp.AssociatedIrp.SystemBuffer;
        WRITE_PORT_USHORT(fdoData.IoBase + TX_LENGTH, (short) tcb.Length);
        for (int i = 0; i < tcb.Length; i++) {
            WRITE_PORT_UCHAR(fdoData.IoBase + TX_DATA, frame[i]);
        }
        WRITE_PORT_UCHAR(fdoData.IoBase + SCB_COMMAND, (byte) CMD_TX_START);
        return true;
    }

    // ---- interrupt ----

    @Role(KServiceRoutine.class)
    boolean Isr(KInterrupt Interrupt, Object ServiceContext) {
        NicExtension fdoData = (NicExtension) ServiceContext;
        int status = READ_PORT_UCHAR(fdoData.IoBase + SCB_STATUS) & 0xff;
        if (status == 0) {
            return false;
        }
        if ((status & SCB_INT_TX_DONE) != 0) {
            fdoData.TxDoneCount += READ_PORT_UCHAR(fdoData.IoBase + TX_DONE_COUNT) & 0xff;
        }
        fdoData.IntStatus |= status;
        WRITE_PORT_UCHAR(fdoData.IoBase + SCB_STATUS, (byte) status);
        KeInsertQueueDpc(fdoData.InterruptDpc, null, null);
        return true;
    }

    static final class IsrSnapshot {
        NicExtension FdoData;
        int Status;
        int TxDone;
    }

    @Role(KSynchronizeRoutine.class)
    boolean TakeInterruptStatus(Object SynchronizeContext) {
        IsrSnapshot snapshot = (IsrSnapshot) SynchronizeContext;
        snapshot.Status = snapshot.FdoData.IntStatus;
        snapshot.TxDone = snapshot.FdoData.TxDoneCount;
        snapshot.FdoData.IntStatus = 0;
        snapshot.FdoData.TxDoneCount = 0;
        return true;
    }

    @Role(KDeferredRoutine.class)
    void InterruptDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        NicExtension fdoData = (NicExtension) DeferredContext;
        IsrSnapshot snapshot = new IsrSnapshot();
        snapshot.FdoData = fdoData;
        KeSynchronizeExecution(fdoData.Interrupt, this::TakeInterruptStatus, snapshot);
        if ((snapshot.Status & SCB_INT_HW_ERROR) != 0) {
            KeAcquireSpinLockAtDpcLevel(fdoData.Lock);
            fdoData.Flags |= NicExtension.fMP_ADAPTER_HARDWARE_ERROR;
            if (++fdoData.HwErrCount > NIC_HARDWARE_ERROR_THRESHOLD) {
                fdoData.Flags |= NicExtension.fMP_ADAPTER_NON_RECOVER_ERROR;
            }
            KeReleaseSpinLockFromDpcLevel(fdoData.Lock);
        }
        List<NicExtension.Tcb> done = new ArrayList<>();
        KeAcquireSpinLockAtDpcLevel(fdoData.SendLock);
        for (int i = 0; i < snapshot.TxDone && !fdoData.BusySends.isEmpty(); i++) {
            done.add(fdoData.BusySends.pollFirst());
            fdoData.nBusySend--;
        }
        KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);
        for (NicExtension.Tcb tcb : done) {
            tcb.Irp.IoStatus.Status = STATUS_SUCCESS;
            tcb.Irp.IoStatus.Information = tcb.Length;
            IoCompleteRequest(tcb.Irp, IO_NETWORK_INCREMENT);
            IoReleaseRemoveLock(fdoData.RemoveLock, tcb.Irp);
        }
    }

    static final int IO_NETWORK_INCREMENT = 2;

    // ---- the watchdog ----

    private void StartWatchDogTimer(NicExtension fdoData) {
        long dueTime;
        if (!fdoData.CheckForHang) {
            fdoData.Flags |= NicExtension.fMP_ADAPTER_LINK_DETECTION;
            fdoData.bLinkDetectionWait = false;
            fdoData.LinkRetries = 0;
            dueTime = NIC_LINK_DETECTION_DELAY;
        } else {
            dueTime = NIC_CHECK_FOR_HANG_DELAY;
        }
        KeSetTimerEx(fdoData.WatchDogTimer, dueTime, 0, fdoData.WatchDogDpc);
    }

    @Role(KDeferredRoutine.class)
    void WatchDogTimerDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        NicExtension fdoData = (NicExtension) DeferredContext;
        long dueTime = NIC_CHECK_FOR_HANG_DELAY;
        int status;
        if (!fdoData.CheckForHang) {
            status = LinkDetection(fdoData);
            if (status == STATUS_PENDING) {
                fdoData.bLinkDetectionWait = true;
                dueTime = NIC_LINK_DETECTION_DELAY;
            } else {
                fdoData.CheckForHang = true;
            }
        } else if (CheckForHangLocked(fdoData)) {
            status = Reset(fdoData);
            if (!NT_SUCCESS(status)) {
                // the adapter is beyond repair: the watchdog stops here
                return; // expect: SpinLock
            }
        }
        if (!fdoData.TimerStopping) {
            KeSetTimerEx(fdoData.WatchDogTimer, dueTime, 0, fdoData.WatchDogDpc);
        }
    }

    /** True when the adapter needs a reset. Runs in the timer DPC. */
    private boolean CheckForHangLocked(NicExtension fdoData) {
        if ((fdoData.Flags & NicExtension.fMP_ADAPTER_LINK_DETECTION) != 0) {
            return false;
        }
        if ((fdoData.Flags & (NicExtension.fMP_ADAPTER_NON_RECOVER_ERROR
                | NicExtension.fMP_ADAPTER_HARDWARE_ERROR)) != 0) {
            return true;
        }
        KeAcquireSpinLockAtDpcLevel(fdoData.SendLock);
        if (fdoData.nBusySend > 0) {
            NicExtension.Tcb head = fdoData.BusySends.peekFirst();
            head.Count++;
            if (head.Count > NIC_SEND_HANG_THRESHOLD) {
                KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);
                return true;
            }
        }
        KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);

        KeAcquireSpinLockAtDpcLevel(fdoData.RcvLock);
        if (fdoData.CurrNumRfd > fdoData.NumRfd) {
            fdoData.RfdShrinkCount++;
        }
        KeReleaseSpinLockFromDpcLevel(fdoData.RcvLock);
        IndicateMediaState(fdoData);
        return false;
    }

    private void IndicateMediaState(NicExtension fdoData) {
        boolean connected = (READ_PORT_UCHAR(fdoData.IoBase + PHY_STATUS) & PHY_LINK_UP) != 0;
        KeAcquireSpinLockAtDpcLevel(fdoData.Lock);
        fdoData.MediaConnected = connected;
        KeReleaseSpinLockFromDpcLevel(fdoData.Lock);
    }

    @Role(KSynchronizeRoutine.class)
    boolean DisableInterrupt(Object SynchronizeContext) {
        NicExtension fdoData = (NicExtension) SynchronizeContext;
        WRITE_PORT_UCHAR(fdoData.IoBase + SCB_INT_MASK, (byte) 0xff);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean EnableInterrupt(Object SynchronizeContext) {
        NicExtension fdoData = (NicExtension) SynchronizeContext;
        WRITE_PORT_UCHAR(fdoData.IoBase + SCB_INT_MASK, (byte) 0);
        return true;
    }

    /** Resets the adapter. Called at DISPATCH_LEVEL from the timer DPC; takes Lock, SendLock, RcvLock in order. */
    private int Reset(NicExtension fdoData) {
        int status;
        KeAcquireSpinLockAtDpcLevel(fdoData.Lock);
        KeAcquireSpinLockAtDpcLevel(fdoData.SendLock);
        KeAcquireSpinLockAtDpcLevel(fdoData.RcvLock);
        do {
            if ((fdoData.Flags & NicExtension.fMP_ADAPTER_RESET_IN_PROGRESS) != 0) {
                status = STATUS_SUCCESS;
                break;
            }
            fdoData.Flags |= NicExtension.fMP_ADAPTER_RESET_IN_PROGRESS;
            if ((fdoData.Flags & NicExtension.fMP_ADAPTER_LINK_DETECTION) != 0) {
                status = STATUS_SUCCESS;
                break;
            }
            if ((fdoData.Flags & NicExtension.fMP_ADAPTER_NON_RECOVER_ERROR) != 0) {
                status = STATUS_DEVICE_DATA_ERROR;
                if ((fdoData.Flags & NicExtension.fMP_ADAPTER_REMOVE_IN_PROGRESS) != 0) {
                    break;
                }
                fdoData.Flags |= NicExtension.fMP_ADAPTER_REMOVE_IN_PROGRESS;
                fdoData.Flags &= ~NicExtension.fMP_ADAPTER_RESET_IN_PROGRESS;
                KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);
                KeReleaseSpinLockFromDpcLevel(fdoData.Lock);
                // here the sample asks for the device to be restarted
                return status;
            }
            KeSynchronizeExecution(fdoData.Interrupt, this::DisableInterrupt, fdoData);
            WRITE_PORT_UCHAR(fdoData.IoBase + PORT_RESET, (byte) PORT_SELECTIVE_RESET);
            KeReleaseSpinLockFromDpcLevel(fdoData.RcvLock);
            KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);
            KeReleaseSpinLockFromDpcLevel(fdoData.Lock);

            // the sends the hardware dropped are failed, with no lock held
            FreeBusySends(fdoData, STATUS_DEVICE_DATA_ERROR);

            KeAcquireSpinLockAtDpcLevel(fdoData.Lock);
            KeAcquireSpinLockAtDpcLevel(fdoData.SendLock);
            KeAcquireSpinLockAtDpcLevel(fdoData.RcvLock);
            fdoData.HwErrCount = 0;
            fdoData.Flags &= ~NicExtension.fMP_ADAPTER_HARDWARE_ERROR;
            KeSynchronizeExecution(fdoData.Interrupt, this::EnableInterrupt, fdoData);
            status = STATUS_SUCCESS;
        } while (false);
        fdoData.Flags &= ~NicExtension.fMP_ADAPTER_RESET_IN_PROGRESS;
        KeReleaseSpinLockFromDpcLevel(fdoData.RcvLock);
        KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);
        KeReleaseSpinLockFromDpcLevel(fdoData.Lock);
        if (status == STATUS_SUCCESS) {
            StartWaitingSends(fdoData);
        }
        return status;
    }

    private void FreeBusySends(NicExtension fdoData, int status) {
        List<NicExtension.Tcb> dropped = new ArrayList<>();
        KeAcquireSpinLockAtDpcLevel(fdoData.SendLock);
        dropped.addAll(fdoData.BusySends);
        fdoData.BusySends.clear();
        fdoData.nBusySend = 0;
        KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);
        for (NicExtension.Tcb tcb : dropped) {
            FailSend(fdoData, tcb.Irp, status);
        }
    }

    /** Link detection; STATUS_PENDING asks the watchdog to look again shortly. */
    private int LinkDetection(NicExtension fdoData) {
        boolean up = (READ_PORT_UCHAR(fdoData.IoBase + PHY_STATUS) & PHY_LINK_UP) != 0;
        if (!up && ++fdoData.LinkRetries < NIC_MAX_LINK_RETRIES) {
            return STATUS_PENDING;
        }
        fdoData.bLinkDetectionWait = false;
        KeAcquireSpinLockAtDpcLevel(fdoData.Lock);
        fdoData.Flags &= ~NicExtension.fMP_ADAPTER_LINK_DETECTION;
        fdoData.MediaConnected = up;
        KeReleaseSpinLockFromDpcLevel(fdoData.Lock);
        StartWaitingSends(fdoData);
        return STATUS_SUCCESS;
    }

    /** Sends everything that waited for the link or the reset. Runs at DISPATCH_LEVEL. */
    private void StartWaitingSends(NicExtension fdoData) {
        KeAcquireSpinLockAtDpcLevel(fdoData.SendLock);
        while (!fdoData.SendWaitList.isEmpty()) {
            Irp irp = fdoData.SendWaitList.pollFirst();
            if (IoSetCancelRoutine(irp, null) == null) {
                // its cancel routine is running and will complete it
                continue;
            }
            SendPacketLocked(fdoData, irp);
        }
        KeReleaseSpinLockFromDpcLevel(fdoData.SendLock);
    }

    // ---- PnP ----

    private int StartDevice(NicExtension fdoData, CmResourceList resources) {
        int vector = -1;
        int level = 0;
        long affinity = 0;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypePort) {
                fdoData.IoBase = d.u.Port.Start;
            } else if (d.Type == CmResourceTypeInterrupt) {
                vector = d.u.Interrupt.Vector;
                level = d.u.Interrupt.Level;
                affinity = d.u.Interrupt.Affinity;
            }
        }
        if (fdoData.IoBase == 0 || vector < 0) {
            return STATUS_DEVICE_NOT_READY;
        }
        WRITE_PORT_UCHAR(fdoData.IoBase + PORT_RESET, (byte) PORT_SELECTIVE_RESET);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::Isr, fdoData, null, vector, level, level, LevelSensitive,
                true, affinity, false);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        fdoData.Interrupt = interrupt.value;
        KeSynchronizeExecution(fdoData.Interrupt, this::EnableInterrupt, fdoData);
        fdoData.CheckForHang = false;
        fdoData.TimerStopping = false;
        StartWatchDogTimer(fdoData);
        return STATUS_SUCCESS;
    }

    private void StopDevice(NicExtension fdoData) {
        fdoData.TimerStopping = true;
        KeCancelTimer(fdoData.WatchDogTimer);
        KeRemoveQueueDpc(fdoData.WatchDogDpc);
        if (fdoData.Interrupt != null) {
            KeSynchronizeExecution(fdoData.Interrupt, this::DisableInterrupt, fdoData);
            IoDisconnectInterrupt(fdoData.Interrupt);
            fdoData.Interrupt = null;
        }
        KeRemoveQueueDpc(fdoData.InterruptDpc);
        List<Irp> waiting = new ArrayList<>();
        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(fdoData.SendLock, irql);
        while (!fdoData.SendWaitList.isEmpty()) {
            Irp irp = fdoData.SendWaitList.pollFirst();
            if (IoSetCancelRoutine(irp, null) != null) {
                waiting.add(irp);
            }
        }
        KeReleaseSpinLock(fdoData.SendLock, irql.value);
        for (Irp irp : waiting) {
            FailSend(fdoData, irp, STATUS_DEVICE_NOT_READY);
        }
    }

    @Role(IoCompletionRoutine.class)
    int StartCompletion(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        NicExtension fdoData = (NicExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE: {
                KEvent event = new KEvent();
                KeInitializeEvent(event, NotificationEvent, false);
                IoCopyCurrentIrpStackLocationToNext(Irp);
                IoSetCompletionRoutine(Irp, this::StartCompletion, event, true, true, true);
                status = IoCallDriver(fdoData.LowerDevice, Irp);
                if (status == STATUS_PENDING) {
                    KeWaitForSingleObject(event, Executive, KernelMode, false, null);
                    status = Irp.IoStatus.Status;
                }
                if (NT_SUCCESS(status)) {
                    status = StartDevice(fdoData, stack.Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
            case IRP_MN_STOP_DEVICE:
            case IRP_MN_SURPRISE_REMOVAL:
                StopDevice(fdoData);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(fdoData.LowerDevice, Irp);
            case IRP_MN_REMOVE_DEVICE:
                IoAcquireRemoveLock(fdoData.RemoveLock, Irp);
                IoReleaseRemoveLockAndWait(fdoData.RemoveLock, Irp);
                StopDevice(fdoData);
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
}
