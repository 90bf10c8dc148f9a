package corpus.uhcicompleteunderlock;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Driver for a UHCI USB host controller, reduced to bulk transfers submitted by internal device
 * control IRPs. A transfer's buffer is mapped with GetScatterGatherList and cut into max-packet
 * transfer descriptors that are linked into the asynchronous schedule; the controller runs them by
 * itself. The ISR checks that the controller is present, latches and acknowledges USBSTS and
 * masks USBINTR; the DPC takes the latched status under the interrupt lock, retires the transfers
 * whose descriptors are no longer active, restarts a controller that halted on a schedule error,
 * and unmasks the interrupts. A periodic timer DPC polls the root hub ports and reaps cancelled
 * transfers.
 *
 * Re-expressed from: reactos/reactos/drivers/usb/usbuhci/usbuhci.c (UhciInterruptService, UhciInterruptDpc, UhciMapAsyncTransferToTDs, UhciQueueTransfer) (structure and facts, not code).
 */
@HardwareId("PCI\\CC_0C0300")
public final class UhciDriver {
    static final int USBCMD = 0x00;
    static final int USBSTS = 0x02;
    static final int USBINTR = 0x04;
    static final int FRNUM = 0x06;
    static final int FRBASEADD = 0x08;
    static final int SOFMOD = 0x0C;
    static final int PORTSC1 = 0x10;

    static final int CMD_RUN = 0x0001;
    static final int CMD_HCRESET = 0x0002;
    static final int CMD_GRESET = 0x0004;
    static final int CMD_CF = 0x0040;
    static final int CMD_MAXP = 0x0080;

    static final int STS_USBINT = 0x0001;
    static final int STS_ERROR = 0x0002;
    static final int STS_RESUME = 0x0004;
    static final int STS_HOST_SYSTEM_ERROR = 0x0008;
    static final int STS_PROCESS_ERROR = 0x0010;
    static final int STS_HALTED = 0x0020;
    static final int STS_MASK = 0x003F;

    static final int INTR_TIMEOUT_CRC = 0x1;
    static final int INTR_RESUME = 0x2;
    static final int INTR_IOC = 0x4;
    static final int INTR_SHORT_PACKET = 0x8;

    static final int PORT_CONNECT_CHANGE = 0x0002;
    static final int PORT_ENABLE_CHANGE = 0x0008;

    static final int TD_STS_ACTIVE = 0x800000;
    static final int TD_STS_STALLED = 0x400000;
    static final int TD_STS_BABBLE = 0x100000;
    static final int TD_STS_CRC_TIMEOUT = 0x040000;
    static final int TD_STS_ERRORS = TD_STS_STALLED | TD_STS_BABBLE | TD_STS_CRC_TIMEOUT;
    static final int TD_IOC = 0x1000000;
    static final int TD_SPD = 0x20000000;
    static final int TD_ERROR_COUNT_3 = 0x18000000;
    static final int TD_ACTUAL_LENGTH_MASK = 0x7FF;
    static final int PID_IN = 0x69;
    static final int PID_OUT = 0xE1;

    static final int MAX_TDS = 256;
    static final int MAX_PACKET = 64;
    static final int MAX_SCHEDULE_ERRORS = 16;
    static final long ROOT_HUB_POLL = -2_500_000L;
    static final int TAG = 0x49434855;
    static final int IOCTL_UHCI_BULK_TRANSFER = CTL_CODE(FILE_DEVICE_UNKNOWN, 0x900, METHOD_BUFFERED,
            FILE_ANY_ACCESS);

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        DriverObject.DriverUnload = this::Unload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::DispatchCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::DispatchCreateClose;
        DriverObject.MajorFunction[IRP_MJ_INTERNAL_DEVICE_CONTROL] = this::DispatchInternalControl;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::DispatchPnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject PhysicalDeviceObject) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, UhciExtension.class, null, FILE_DEVICE_UNKNOWN, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        UhciExtension uhci = (UhciExtension) fdo.DeviceExtension;
        uhci.Self = fdo;
        uhci.Pdo = PhysicalDeviceObject;
        uhci.StatusMask = INTR_TIMEOUT_CRC | INTR_RESUME | INTR_IOC | INTR_SHORT_PACKET;
        KeInitializeSpinLock(uhci.ScheduleLock);
        IoInitializeRemoveLock(uhci.RemoveLock, TAG, 0, 0);
        KeInitializeTimer(uhci.RootHubTimer);
        KeInitializeDpc(uhci.RootHubDpc, this::PollRootHub, uhci);
        uhci.LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (uhci.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_UNSUCCESSFUL;
        }
        IoInitializeDpcRequest(fdo, this::InterruptDpc);
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

    // ------------------------------------------------------------------ submission

    /** Reads the transfer parameters from the IOCTL input: address, endpoint, direction. */
    private int ParseTransfer(Irp Irp, UhciTransfer transfer) {
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        if (stack.Parameters.DeviceIoControl.IoControlCode != IOCTL_UHCI_BULK_TRANSFER) {
            return STATUS_INVALID_DEVICE_REQUEST;
        }
        if (stack.Parameters.DeviceIoControl.InputBufferLength < 3 || Irp.MdlAddress == null) {
            return STATUS_INVALID_PARAMETER;
        }
        byte[] in = Irp.AssociatedIrp.SystemBuffer;
        transfer.DeviceAddress = in[0] & 0x7F;
        transfer.Endpoint = in[1] & 0x0F;
        transfer.DirectionIn = (in[2] & 0x80) != 0;
        transfer.Length = MmGetMdlByteCount(Irp.MdlAddress);
        transfer.Irp = Irp;
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int DispatchInternalControl(DeviceObject DeviceObject, Irp Irp) {
        UhciExtension uhci = (UhciExtension) DeviceObject.DeviceExtension;
        UhciTransfer transfer = new UhciTransfer();
        transfer.Owner = uhci;
        int status = uhci.Interrupt == null ? STATUS_DEVICE_NOT_READY : ParseTransfer(Irp, transfer);
        if (NT_SUCCESS(status)) {
            status = IoAcquireRemoveLock(uhci.RemoveLock, Irp);
        }
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoMarkIrpPending(Irp);
        int oldIrql = KeRaiseIrqlToDpcLevel();
        status = uhci.Adapter.DmaOperations.GetScatterGatherList(uhci.Adapter, DeviceObject, Irp.MdlAddress,
                MmGetMdlVirtualAddress(Irp.MdlAddress), transfer.Length, this::MapAsyncTransferToTds, transfer,
                !transfer.DirectionIn);
        KeLowerIrql(oldIrql);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(uhci.RemoveLock, Irp);
        }
        return STATUS_PENDING;
    }

    /** Takes a free descriptor from the pool, or null. ScheduleLock held. */
    private UhciTd AllocateTd(UhciExtension uhci) {
        for (int i = 0; i < MAX_TDS; i++) {
            UhciTd td = uhci.TdPool[uhci.AllocTdCounter];
            uhci.AllocTdCounter = (uhci.AllocTdCounter + 1) % MAX_TDS;
            if (!td.Allocated) {
                td.Allocated = true;
                return td;
            }
        }
        return null;
    }

    /** The buffer is mapped: cut it into max-packet descriptors and link them into the schedule. */
    @Role(DriverListControl.class)
    void MapAsyncTransferToTds(DeviceObject DeviceObject, Irp Irp, ScatterGatherList ScatterGather, Object Context) {
        UhciTransfer transfer = (UhciTransfer) Context;
        UhciExtension uhci = transfer.Owner;
        transfer.SgList = ScatterGather;
        KeAcquireSpinLockAtDpcLevel(uhci.ScheduleLock);
        boolean complete = true;
        for (int i = 0; i < ScatterGather.NumberOfElements && complete; i++) {
            long address = ScatterGather.Elements[i].Address;
            int remaining = ScatterGather.Elements[i].Length;
            while (remaining > 0) {
                UhciTd td = AllocateTd(uhci);
                if (td == null) {
                    complete = false;
                    break;
                }
                int length = Math.min(remaining, MAX_PACKET);
                td.Transfer = transfer;
                td.Buffer = address;
                td.MaximumLength = length - 1;
                td.Token = (transfer.DirectionIn ? PID_IN : PID_OUT) | (transfer.DeviceAddress << 8)
                        | (transfer.Endpoint << 15) | ((uhci.DataToggle ? 1 : 0) << 19) | ((length - 1) << 21);
                td.ControlStatus = TD_STS_ACTIVE | TD_ERROR_COUNT_3 | (transfer.DirectionIn ? TD_SPD : 0);
                uhci.DataToggle = !uhci.DataToggle;
                transfer.Tds.add(td);
                address += length;
                remaining -= length;
            }
        }
        if (!complete) {
            for (UhciTd td : transfer.Tds) {
                td.Allocated = false;
                td.Transfer = null;
            }
            transfer.Tds.clear();
            KeReleaseSpinLockFromDpcLevel(uhci.ScheduleLock);
            uhci.Adapter.DmaOperations.PutScatterGatherList(uhci.Adapter, ScatterGather, !transfer.DirectionIn);
            Irp request = transfer.Irp;
            request.IoStatus.Status = STATUS_INSUFFICIENT_RESOURCES;
            request.IoStatus.Information = 0;
            IoCompleteRequest(request, IO_NO_INCREMENT);
            IoReleaseRemoveLock(uhci.RemoveLock, request);
            return;
        }
        transfer.Tds.get(transfer.Tds.size() - 1).ControlStatus |= TD_IOC;
        transfer.Linked = true;
        uhci.ActiveTransfers.addLast(transfer);
        IoSetCancelRoutine(transfer.Irp, this::CancelTransfer);
        KeReleaseSpinLockFromDpcLevel(uhci.ScheduleLock);
    }

    @Role(DriverCancel.class)
    void CancelTransfer(DeviceObject DeviceObject, Irp Irp) {
        UhciExtension uhci = (UhciExtension) DeviceObject.DeviceExtension;
        IoReleaseCancelSpinLock(Irp.CancelIrql);
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(uhci.ScheduleLock, oldIrql);
        for (UhciTransfer transfer : uhci.ActiveTransfers) {
            if (transfer.Irp == Irp) {
                transfer.CancelRequested = true;
                for (UhciTd td : transfer.Tds) {
                    td.ControlStatus &= ~TD_STS_ACTIVE;
                }
            }
        }
        KeReleaseSpinLock(uhci.ScheduleLock, oldIrql.value);
    }

    // ------------------------------------------------------------------ interrupt

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        UhciExtension uhci = (UhciExtension) fdo.DeviceExtension;
        long base = uhci.BaseRegister;
        int raw = READ_PORT_USHORT(base + USBSTS) & 0xFFFF;
        if (raw == 0xFFFF) {
            return false;
        }
        int status = raw & STS_MASK;
        if ((status & ~STS_HALTED) == 0) {
            return false;
        }
        if ((status & (STS_HOST_SYSTEM_ERROR | STS_PROCESS_ERROR)) == 0) {
            uhci.HcScheduleError = 0;
        } else {
            uhci.HcScheduleError++;
        }
        uhci.HcStatus |= status;
        WRITE_PORT_USHORT(base + USBSTS, (short) status);
        WRITE_PORT_USHORT(base + USBINTR, (short) 0);
        IoRequestDpc(fdo, null, null);
        return true;
    }

    /** What the DPC takes of the ISR's latch. */
    static final class StatusSnapshot {
        UhciExtension Uhci;
        int Status;
        int ScheduleErrors;
    }

    @Role(KSynchronizeRoutine.class)
    boolean TakeStatus(Object SynchronizeContext) {
        StatusSnapshot snapshot = (StatusSnapshot) SynchronizeContext;
        snapshot.Status = snapshot.Uhci.HcStatus;
        snapshot.ScheduleErrors = snapshot.Uhci.HcScheduleError;
        snapshot.Uhci.HcStatus = 0;
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean EnableInterrupts(Object SynchronizeContext) {
        UhciExtension uhci = (UhciExtension) SynchronizeContext;
        WRITE_PORT_USHORT(uhci.BaseRegister + USBINTR, (short) uhci.StatusMask);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean DisableInterrupts(Object SynchronizeContext) {
        UhciExtension uhci = (UhciExtension) SynchronizeContext;
        WRITE_PORT_USHORT(uhci.BaseRegister + USBINTR, (short) 0);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean RestartController(Object SynchronizeContext) {
        UhciExtension uhci = (UhciExtension) SynchronizeContext;
        int command = READ_PORT_USHORT(uhci.BaseRegister + USBCMD) & 0xFFFF;
        WRITE_PORT_USHORT(uhci.BaseRegister + USBCMD, (short) (command | CMD_RUN));
        return true;
    }

    @Role(IoDpcRoutine.class)
    void InterruptDpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        UhciExtension uhci = (UhciExtension) DeviceObject.DeviceExtension;
        StatusSnapshot snapshot = new StatusSnapshot();
        snapshot.Uhci = uhci;
        KeSynchronizeExecution(uhci.Interrupt, this::TakeStatus, snapshot);
        List<UhciTransfer> done = new ArrayList<>();
        KeAcquireSpinLockAtDpcLevel(uhci.ScheduleLock);
        if ((snapshot.Status & (STS_USBINT | STS_ERROR)) != 0) {
            ProcessDoneTransfers(uhci, done, false);
        }
        if ((snapshot.Status & STS_PROCESS_ERROR) != 0) {
            // the controller halted on a broken schedule: fail what it was running
            ProcessDoneTransfers(uhci, done, true);
        }
        KeReleaseSpinLockFromDpcLevel(uhci.ScheduleLock);
        CompleteTransfers(uhci, done);
        if ((snapshot.Status & STS_PROCESS_ERROR) != 0 && snapshot.ScheduleErrors < MAX_SCHEDULE_ERRORS) {
            KeSynchronizeExecution(uhci.Interrupt, this::RestartController, uhci);
        }
        KeSynchronizeExecution(uhci.Interrupt, this::EnableInterrupts, uhci);
    }

    /**
     * Moves every finished transfer (no active descriptor left, an error, a short packet, or a
     * cancellation; or every transfer when abort is set) from the schedule to done, with its IRP's
     * status set. ScheduleLock held.
     */
    private void ProcessDoneTransfers(UhciExtension uhci, List<UhciTransfer> done, boolean abort) {
        Iterator<UhciTransfer> it = uhci.ActiveTransfers.iterator();
        while (it.hasNext()) {
            UhciTransfer transfer = it.next();
            int status = STATUS_SUCCESS;
            int bytes = 0;
            boolean finished = abort || transfer.CancelRequested;
            for (UhciTd td : transfer.Tds) {
                int cs = td.ControlStatus;
                if ((cs & TD_STS_ACTIVE) != 0) {
                    break;
                }
                int actual = ((cs & TD_ACTUAL_LENGTH_MASK) + 1) & TD_ACTUAL_LENGTH_MASK;
                bytes += actual;
                if ((cs & TD_STS_ERRORS) != 0) {
                    status = (cs & TD_STS_STALLED) != 0 ? STATUS_UNSUCCESSFUL : STATUS_DEVICE_DATA_ERROR;
                    finished = true;
                    break;
                }
                if (actual < td.MaximumLength + 1) {
                    finished = true;
                    break;
                }
                if (td == transfer.Tds.get(transfer.Tds.size() - 1)) {
                    finished = true;
                }
            }
            if (!finished) {
                continue;
            }
            if (transfer.CancelRequested) {
                status = STATUS_CANCELLED;
            } else if (abort && status == STATUS_SUCCESS) {
                status = STATUS_DEVICE_DATA_ERROR;
            }
            for (UhciTd td : transfer.Tds) {
                td.ControlStatus = 0;
                td.Allocated = false;
                td.Transfer = null;
            }
            transfer.Linked = false;
            it.remove();
            Irp irp = transfer.Irp;
            irp.IoStatus.Status = status;
            irp.IoStatus.Information = NT_SUCCESS(status) ? bytes : 0;
            done.add(transfer);
        }
    }

    /** Ends the mapping of every finished transfer and completes its IRP. DISPATCH_LEVEL, no lock held. */
    private void CompleteTransfers(UhciExtension uhci, List<UhciTransfer> done) {
        for (UhciTransfer transfer : done) {
            uhci.Adapter.DmaOperations.PutScatterGatherList(uhci.Adapter, transfer.SgList, !transfer.DirectionIn);
            Irp irp = transfer.Irp;
            // a cancel routine already running only marks transfers still in the schedule
            IoSetCancelRoutine(irp, null);
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(uhci.RemoveLock, irp);
        }
    }

    // ------------------------------------------------------------------ root hub

    @Role(KDeferredRoutine.class)
    void PollRootHub(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        UhciExtension uhci = (UhciExtension) DeferredContext;
        if (uhci.BaseRegister == 0) {
            return;
        }
        for (int port = 0; port < 2; port++) {
            long portsc = uhci.BaseRegister + PORTSC1 + 2L * port;
            int value = READ_PORT_USHORT(portsc) & 0xFFFF;
            int change = value & (PORT_CONNECT_CHANGE | PORT_ENABLE_CHANGE);
            if (change != 0) {
                uhci.PortChange[port] |= change;
                WRITE_PORT_USHORT(portsc, (short) value);
            }
        }
        List<UhciTransfer> done = new ArrayList<>();
        KeAcquireSpinLockAtDpcLevel(uhci.ScheduleLock);
        boolean anyCancelled = false;
        for (UhciTransfer transfer : uhci.ActiveTransfers) {
            anyCancelled |= transfer.CancelRequested;
        }
        if (anyCancelled) {
            ProcessDoneTransfers(uhci, done, false);
            CompleteTransfers(uhci, done); // expect: SpinLockSafe
        }
        KeReleaseSpinLockFromDpcLevel(uhci.ScheduleLock);
    }

    // ------------------------------------------------------------------ PnP

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        UhciExtension uhci = (UhciExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE: {
                int status = ForwardAndWait(uhci, Irp);
                if (NT_SUCCESS(status)) {
                    status = StartController(uhci,
                            IoGetCurrentIrpStackLocation(Irp).Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
            case IRP_MN_STOP_DEVICE:
            case IRP_MN_SURPRISE_REMOVAL: {
                StopController(uhci);
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(uhci.LowerDevice, Irp);
            }
            case IRP_MN_REMOVE_DEVICE: {
                IoAcquireRemoveLock(uhci.RemoveLock, Irp);
                StopController(uhci);
                IoReleaseRemoveLockAndWait(uhci.RemoveLock, Irp);
                IoSkipCurrentIrpStackLocation(Irp);
                int status = IoCallDriver(uhci.LowerDevice, Irp);
                IoDetachDevice(uhci.LowerDevice);
                IoDeleteDevice(DeviceObject);
                return status;
            }
            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(uhci.LowerDevice, Irp);
        }
    }

    private int ForwardAndWait(UhciExtension uhci, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::StartCompletion, event, true, true, true);
        int status = IoCallDriver(uhci.LowerDevice, Irp);
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

    /** Global reset, then host controller reset; waits for the controller to clear HCRESET. */
    private boolean ResetController(UhciExtension uhci) {
        long base = uhci.BaseRegister;
        WRITE_PORT_USHORT(base + USBINTR, (short) 0);
        WRITE_PORT_USHORT(base + USBCMD, (short) CMD_GRESET);
        KeStallExecutionProcessor(10_000);
        WRITE_PORT_USHORT(base + USBCMD, (short) 0);
        WRITE_PORT_USHORT(base + USBCMD, (short) CMD_HCRESET);
        for (int i = 0; i < 100; i++) {
            if ((READ_PORT_USHORT(base + USBCMD) & CMD_HCRESET) == 0) {
                return true;
            }
            KeStallExecutionProcessor(10);
        }
        return false;
    }

    private int StartController(UhciExtension uhci, CmResourceList resources) {
        int vector = -1;
        int level = 0;
        long affinity = 0;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypePort) {
                uhci.BaseRegister = d.u.Port.Start;
            } else if (d.Type == CmResourceTypeInterrupt) {
                vector = d.u.Interrupt.Vector;
                level = d.u.Interrupt.Level;
                affinity = d.u.Interrupt.Affinity;
            }
        }
        if (uhci.BaseRegister == 0 || vector < 0) {
            return STATUS_DEVICE_NOT_READY;
        }
        if ((READ_PORT_USHORT(uhci.BaseRegister + USBSTS) & 0xFFFF) == 0xFFFF || !ResetController(uhci)) {
            return STATUS_DEVICE_NOT_READY;
        }
        DeviceDescription description = new DeviceDescription();
        description.Version = DEVICE_DESCRIPTION_VERSION;
        description.Master = true;
        description.ScatterGather = true;
        description.Dma32BitAddresses = true;
        description.InterfaceType = PCIBus;
        description.MaximumLength = MAX_TDS * MAX_PACKET;
        Out<Integer> mapRegisters = new Out<>();
        uhci.Adapter = IoGetDmaAdapter(uhci.Pdo, description, mapRegisters);
        if (uhci.Adapter == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        for (int i = 0; i < MAX_TDS; i++) {
            uhci.TdPool[i] = new UhciTd();
            uhci.TdPool[i].PhysicalAddress = 0x00200000L + 32L * i;
        }
        uhci.FrameListLogical = 0x00100000L;
        WRITE_PORT_ULONG(uhci.BaseRegister + FRBASEADD, (int) uhci.FrameListLogical);
        WRITE_PORT_USHORT(uhci.BaseRegister + FRNUM, (short) 0);
        WRITE_PORT_UCHAR(uhci.BaseRegister + SOFMOD, (byte) 64);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptService, uhci.Self, null, vector, level, level,
                LevelSensitive, true, affinity, false);
        if (!NT_SUCCESS(status)) {
            uhci.Adapter.DmaOperations.PutDmaAdapter(uhci.Adapter);
            uhci.Adapter = null;
            return status;
        }
        uhci.Interrupt = interrupt.value;
        KeSynchronizeExecution(uhci.Interrupt, this::EnableInterrupts, uhci);
        WRITE_PORT_USHORT(uhci.BaseRegister + USBCMD, (short) (CMD_RUN | CMD_CF | CMD_MAXP));
        KeSetTimerEx(uhci.RootHubTimer, ROOT_HUB_POLL, 250, uhci.RootHubDpc);
        return STATUS_SUCCESS;
    }

    @Role(KSynchronizeRoutine.class)
    boolean HaltController(Object SynchronizeContext) {
        UhciExtension uhci = (UhciExtension) SynchronizeContext;
        WRITE_PORT_USHORT(uhci.BaseRegister + USBINTR, (short) 0);
        WRITE_PORT_USHORT(uhci.BaseRegister + USBCMD, (short) 0);
        return true;
    }

    private void StopController(UhciExtension uhci) {
        KeCancelTimer(uhci.RootHubTimer);
        if (uhci.Interrupt != null) {
            KeSynchronizeExecution(uhci.Interrupt, this::HaltController, uhci);
            IoDisconnectInterrupt(uhci.Interrupt);
            uhci.Interrupt = null;
        }
        if (uhci.Adapter != null) {
            List<UhciTransfer> done = new ArrayList<>();
            Out<Integer> oldIrql = new Out<>();
            KeAcquireSpinLock(uhci.ScheduleLock, oldIrql);
            ProcessDoneTransfers(uhci, done, true);
            KeReleaseSpinLock(uhci.ScheduleLock, oldIrql.value);
            KeRaiseIrql(DISPATCH_LEVEL, oldIrql);
            CompleteTransfers(uhci, done);
            KeLowerIrql(oldIrql.value);
            uhci.Adapter.DmaOperations.PutDmaAdapter(uhci.Adapter);
            uhci.Adapter = null;
        }
        uhci.BaseRegister = 0;
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }
}
