package corpus.ahciraisedreturn;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.ArrayList;
import java.util.List;

/**
 * Disk driver for one port of an AHCI host bus adapter. Reads and writes wait in a queue until a
 * command slot is free; the request's buffer is mapped with GetScatterGatherList into the slot's
 * physical region descriptor table, the command FIS (READ/WRITE DMA EXT) is built, and the slot's
 * bit is set in PxCI under the interrupt lock. The ISR clears PxIS and the port's bit in IS,
 * works out which issued slots the HBA has finished from PxCI, and latches a task-file error;
 * the DPC takes that under the interrupt lock, completes the finished slots, recovers the port
 * after an error (stop, clear errors, restart, reissue), and issues waiting requests. An IoTimer
 * treats a slot outstanding too long like an error.
 *
 * Re-expressed from: microsoft/Windows-driver-samples/storage/miniports/storahci/src (io.c, hbastat.c, pnppower.c) (structure and facts, not code).
 */
@HardwareId("PCI\\CC_010601")
public final class AhciDriver {
    // HBA registers
    static final int HBA_CAP = 0x00;
    static final int HBA_GHC = 0x04;
    static final int HBA_IS = 0x08;
    static final int HBA_PI = 0x0C;
    static final int GHC_HR = 0x1;
    static final int GHC_IE = 0x2;
    static final int GHC_AE = 0x80000000;
    // port registers (0x100 + 0x80 * port)
    static final int PX_CLB = 0x00;
    static final int PX_FB = 0x08;
    static final int PX_IS = 0x10;
    static final int PX_IE = 0x14;
    static final int PX_CMD = 0x18;
    static final int PX_TFD = 0x20;
    static final int PX_SSTS = 0x28;
    static final int PX_SERR = 0x30;
    static final int PX_CI = 0x38;

    static final int CMD_ST = 0x0001;
    static final int CMD_FRE = 0x0010;
    static final int CMD_FR = 0x4000;
    static final int CMD_CR = 0x8000;
    static final int IS_DHRS = 0x00000001;
    static final int IS_PSS = 0x00000002;
    static final int IS_SDBS = 0x00000008;
    static final int IS_TFES = 0x40000000;
    static final int IS_HBFS = 0x20000000;
    static final int IS_HBDS = 0x10000000;
    static final int IS_IFS = 0x08000000;
    static final int IS_FATAL = IS_TFES | IS_HBFS | IS_HBDS | IS_IFS;
    static final int IE_DEFAULT = IS_DHRS | IS_PSS | IS_SDBS | IS_FATAL;
    static final int TFD_BSY = 0x80;
    static final int TFD_ERR = 0x01;

    static final int ATA_READ_DMA_EXT = 0x25;
    static final int ATA_WRITE_DMA_EXT = 0x35;

    static final int MAX_SLOTS = 32;
    static final int MAX_PRDS = 16;
    static final int SECTOR_SIZE = 512;
    static final int MAX_TRANSFER = MAX_PRDS * PAGE_SIZE;
    static final int MAX_RETRIES = 2;
    static final int SLOT_TIMEOUT_TICKS = 10;
    static final int TAG = 0x49484341;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        DriverObject.DriverUnload = this::Unload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::DispatchCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::DispatchCreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::DispatchReadWrite;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = this::DispatchReadWrite;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::DispatchPnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject PhysicalDeviceObject) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, AhciPort.class, null, FILE_DEVICE_DISK, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        AhciPort port = (AhciPort) fdo.DeviceExtension;
        port.Self = fdo;
        port.Pdo = PhysicalDeviceObject;
        for (int i = 0; i < MAX_SLOTS; i++) {
            port.Slots[i] = new AhciPort.AhciSlot();
        }
        KeInitializeSpinLock(port.PortLock);
        IoInitializeRemoveLock(port.RemoveLock, TAG, 0, 0);
        port.LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (port.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_UNSUCCESSFUL;
        }
        IoInitializeDpcRequest(fdo, this::CompletionDpc);
        IoInitializeTimer(fdo, this::SlotWatchdog, port);
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

    /** STATUS_SUCCESS when the request is sector aligned, inside the disk and not too large. */
    private int CheckRequest(AhciPort port, IoStackLocation.ReadWrite rw) {
        if (rw.Length == 0 || rw.Length % SECTOR_SIZE != 0 || rw.ByteOffset % SECTOR_SIZE != 0) {
            return STATUS_INVALID_PARAMETER;
        }
        if (rw.Length > MAX_TRANSFER) {
            return STATUS_INVALID_PARAMETER;
        }
        if ((rw.ByteOffset + rw.Length) / SECTOR_SIZE > port.SectorCount) {
            return STATUS_INVALID_PARAMETER;
        }
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int DispatchReadWrite(DeviceObject DeviceObject, Irp Irp) {
        AhciPort port = (AhciPort) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        IoStackLocation.ReadWrite rw = stack.MajorFunction == IRP_MJ_WRITE ? stack.Parameters.Write
                : stack.Parameters.Read;
        int status = port.Interrupt == null ? STATUS_DEVICE_NOT_READY : CheckRequest(port, rw);
        if (NT_SUCCESS(status)) {
            status = IoAcquireRemoveLock(port.RemoveLock, Irp);
        }
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoMarkIrpPending(Irp);
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(port.PortLock, oldIrql);
        port.PendingQueue.addLast(Irp);
        KeReleaseSpinLock(port.PortLock, oldIrql.value);
        KeRaiseIrql(DISPATCH_LEVEL, oldIrql);
        if (port.Recovering) {
            // the DPC issues the queue once the port is back
            return STATUS_PENDING; // expect: IrqlNotRestored
        }
        StartCommands(port);
        KeLowerIrql(oldIrql.value);
        return STATUS_PENDING;
    }

    // ------------------------------------------------------------------ command issue

    /** Context of one slot's GetScatterGatherList call. */
    static final class SlotRequest {
        AhciPort Port;
        int Slot;
    }

    /** Moves waiting requests into free slots and maps them. DISPATCH_LEVEL. */
    private void StartCommands(AhciPort port) {
        while (true) {
            int slot = -1;
            KeAcquireSpinLockAtDpcLevel(port.PortLock);
            if (!port.Recovering && !port.PendingQueue.isEmpty()) {
                for (int i = 0; i < port.CommandSlots; i++) {
                    if (port.Slots[i].Irp == null) {
                        slot = i;
                        break;
                    }
                }
            }
            if (slot >= 0) {
                AhciPort.AhciSlot s = port.Slots[slot];
                Irp irp = port.PendingQueue.removeFirst();
                IoStackLocation stack = IoGetCurrentIrpStackLocation(irp);
                s.Irp = irp;
                s.Write = stack.MajorFunction == IRP_MJ_WRITE;
                IoStackLocation.ReadWrite rw = s.Write ? stack.Parameters.Write : stack.Parameters.Read;
                s.Lba = rw.ByteOffset / SECTOR_SIZE;
                s.Length = rw.Length;
                s.Retries = 0;
                port.SlotsInUse++;
            }
            KeReleaseSpinLockFromDpcLevel(port.PortLock);
            if (slot < 0) {
                return;
            }
            MapSlot(port, slot);
        }
    }

    private void MapSlot(AhciPort port, int slot) {
        AhciPort.AhciSlot s = port.Slots[slot];
        SlotRequest request = new SlotRequest();
        request.Port = port;
        request.Slot = slot;
        Mdl mdl = s.Irp.MdlAddress;
        int status = port.Adapter.DmaOperations.GetScatterGatherList(port.Adapter, port.Self, mdl,
                MmGetMdlVirtualAddress(mdl), s.Length, this::BuildAndIssue, request, s.Write);
        if (!NT_SUCCESS(status)) {
            List<Irp> failed = new ArrayList<>();
            KeAcquireSpinLockAtDpcLevel(port.PortLock);
            failed.add(ReleaseSlot(port, slot, status, 0));
            KeReleaseSpinLockFromDpcLevel(port.PortLock);
            CompleteRequests(port, failed);
        }
    }

    /** Frees a slot and returns its IRP with the final status set. PortLock held. */
    private Irp ReleaseSlot(AhciPort port, int slot, int status, int information) {
        AhciPort.AhciSlot s = port.Slots[slot];
        Irp irp = s.Irp;
        s.Irp = null;
        s.SgList = null;
        port.SlotsInUse--;
        irp.IoStatus.Status = status;
        irp.IoStatus.Information = information;
        return irp;
    }

    private void CompleteRequests(AhciPort port, List<Irp> irps) {
        for (Irp irp : irps) {
            IoCompleteRequest(irp, IO_DISK_INCREMENT);
            IoReleaseRemoveLock(port.RemoveLock, irp);
        }
    }

    /** The slot's buffer is mapped: fill its PRD table and command FIS, then issue it. */
    @Role(DriverListControl.class)
    void BuildAndIssue(DeviceObject DeviceObject, Irp Irp, ScatterGatherList ScatterGather, Object Context) {
        SlotRequest request = (SlotRequest) Context;
        AhciPort port = request.Port;
        AhciPort.AhciSlot s = port.Slots[request.Slot];
        s.SgList = ScatterGather;
        s.PrdCount = Math.min(ScatterGather.NumberOfElements, MAX_PRDS);
        for (int i = 0; i < s.PrdCount; i++) {
            s.PrdAddress[i] = ScatterGather.Elements[i].Address;
            s.PrdLength[i] = ScatterGather.Elements[i].Length - 1;
        }
        KeSynchronizeExecution(port.Interrupt, this::IssueSlot, request);
    }

    @Role(KSynchronizeRoutine.class)
    boolean IssueSlot(Object SynchronizeContext) {
        SlotRequest request = (SlotRequest) SynchronizeContext;
        AhciPort port = request.Port;
        int bit = 1 << request.Slot;
        port.IssuedMask |= bit;
        port.SlotTicks[request.Slot] = 0;
        WRITE_REGISTER_ULONG(port.PortRegs + PX_CI, bit);
        return true;
    }

    // ------------------------------------------------------------------ interrupt

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        AhciPort port = (AhciPort) fdo.DeviceExtension;
        int hbaIs = READ_REGISTER_ULONG(port.Abar + HBA_IS);
        int portBit = 1 << port.PortNumber;
        if ((hbaIs & portBit) == 0) {
            return false;
        }
        int portIs = READ_REGISTER_ULONG(port.PortRegs + PX_IS);
        WRITE_REGISTER_ULONG(port.PortRegs + PX_IS, portIs);
        WRITE_REGISTER_ULONG(port.Abar + HBA_IS, portBit);
        int ci = READ_REGISTER_ULONG(port.PortRegs + PX_CI);
        port.CompletedMask |= port.IssuedMask & ~ci;
        port.IssuedMask &= ci;
        if ((portIs & IS_FATAL) != 0) {
            port.TaskFileError = true;
            port.CapturedTfd = READ_REGISTER_ULONG(port.PortRegs + PX_TFD);
            port.CapturedIs = portIs;
        }
        IoRequestDpc(fdo, null, null);
        return true;
    }

    /** What the DPC takes of the ISR's latch. */
    static final class PortSnapshot {
        AhciPort Port;
        int Completed;
        int StillIssued;
        boolean Error;
        int Tfd;
    }

    @Role(KSynchronizeRoutine.class)
    boolean TakeCompletions(Object SynchronizeContext) {
        PortSnapshot snapshot = (PortSnapshot) SynchronizeContext;
        AhciPort port = snapshot.Port;
        snapshot.Completed = port.CompletedMask;
        snapshot.StillIssued = port.IssuedMask;
        snapshot.Error = port.TaskFileError || port.TimedOut;
        snapshot.Tfd = port.CapturedTfd;
        port.CompletedMask = 0;
        port.TaskFileError = false;
        port.TimedOut = false;
        if (snapshot.Error) {
            // nothing more will finish until the port is restarted
            port.IssuedMask = 0;
        }
        return true;
    }

    @Role(IoDpcRoutine.class)
    void CompletionDpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        AhciPort port = (AhciPort) DeviceObject.DeviceExtension;
        PortSnapshot snapshot = new PortSnapshot();
        snapshot.Port = port;
        KeSynchronizeExecution(port.Interrupt, this::TakeCompletions, snapshot);
        List<Irp> done = new ArrayList<>();
        List<Integer> reissue = new ArrayList<>();
        KeAcquireSpinLockAtDpcLevel(port.PortLock);
        for (int slot = 0; slot < port.CommandSlots; slot++) {
            int bit = 1 << slot;
            AhciPort.AhciSlot s = port.Slots[slot];
            if (s.Irp == null || s.SgList == null) {
                continue;
            }
            if ((snapshot.Completed & bit) != 0) {
                port.Adapter.DmaOperations.PutScatterGatherList(port.Adapter, s.SgList, s.Write);
                done.add(ReleaseSlot(port, slot, STATUS_SUCCESS, s.Length));
            } else if (snapshot.Error && (snapshot.StillIssued & bit) != 0) {
                if (s.Retries++ < MAX_RETRIES) {
                    reissue.add(slot);
                } else {
                    port.Adapter.DmaOperations.PutScatterGatherList(port.Adapter, s.SgList, s.Write);
                    done.add(ReleaseSlot(port, slot, STATUS_DEVICE_DATA_ERROR, 0));
                }
            }
        }
        if (snapshot.Error) {
            port.Recovering = true;
        }
        KeReleaseSpinLockFromDpcLevel(port.PortLock);
        if (snapshot.Error) {
            LogPortError(port, snapshot.Tfd);
            KeSynchronizeExecution(port.Interrupt, this::RestartPort, port);
            KeAcquireSpinLockAtDpcLevel(port.PortLock);
            port.Recovering = false;
            KeReleaseSpinLockFromDpcLevel(port.PortLock);
            for (int slot : reissue) {
                SlotRequest request = new SlotRequest();
                request.Port = port;
                request.Slot = slot;
                KeSynchronizeExecution(port.Interrupt, this::IssueSlot, request);
            }
        }
        CompleteRequests(port, done);
        StartCommands(port);
    }

    /** Stops the command engine, clears the error state and starts it again. DIRQL. */
    @Role(KSynchronizeRoutine.class)
    boolean RestartPort(Object SynchronizeContext) {
        AhciPort port = (AhciPort) SynchronizeContext;
        long regs = port.PortRegs;
        int cmd = READ_REGISTER_ULONG(regs + PX_CMD);
        WRITE_REGISTER_ULONG(regs + PX_CMD, cmd & ~CMD_ST);
        for (int i = 0; i < 50 && (READ_REGISTER_ULONG(regs + PX_CMD) & CMD_CR) != 0; i++) {
            KeStallExecutionProcessor(10);
        }
        WRITE_REGISTER_ULONG(regs + PX_SERR, 0xFFFFFFFF);
        WRITE_REGISTER_ULONG(regs + PX_IS, 0xFFFFFFFF);
        WRITE_REGISTER_ULONG(regs + PX_CMD, (cmd & ~CMD_ST) | CMD_FRE);
        WRITE_REGISTER_ULONG(regs + PX_CMD, cmd | CMD_ST | CMD_FRE);
        port.IssuedMask = 0;
        return true;
    }

    private void LogPortError(AhciPort port, int tfd) {
        IoErrorLogPacket entry = IoAllocateErrorLogEntry(port.Self, 48);
        if (entry == null) {
            return;
        }
        entry.ErrorCode = IO_ERR_DRIVER_ERROR;
        entry.FinalStatus = STATUS_DEVICE_DATA_ERROR;
        entry.UniqueErrorValue = tfd;
        IoWriteErrorLogEntry(entry);
    }

    // ------------------------------------------------------------------ watchdog

    @Role(IoTimerRoutine.class)
    void SlotWatchdog(DeviceObject DeviceObject, Object Context) {
        AhciPort port = (AhciPort) Context;
        if (port.Interrupt != null) {
            KeSynchronizeExecution(port.Interrupt, this::AgeSlots, DeviceObject);
        }
    }

    @Role(KSynchronizeRoutine.class)
    boolean AgeSlots(Object SynchronizeContext) {
        DeviceObject fdo = (DeviceObject) SynchronizeContext;
        AhciPort port = (AhciPort) fdo.DeviceExtension;
        boolean expired = false;
        for (int slot = 0; slot < MAX_SLOTS; slot++) {
            if ((port.IssuedMask & (1 << slot)) != 0 && ++port.SlotTicks[slot] > SLOT_TIMEOUT_TICKS) {
                expired = true;
            }
        }
        if (expired) {
            port.TimedOut = true;
            IoRequestDpc(fdo, null, null);
        }
        return expired;
    }

    // ------------------------------------------------------------------ PnP

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        AhciPort port = (AhciPort) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE: {
                int status = ForwardAndWait(port, Irp);
                if (NT_SUCCESS(status)) {
                    status = StartAdapter(port,
                            IoGetCurrentIrpStackLocation(Irp).Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
            case IRP_MN_REMOVE_DEVICE: {
                IoAcquireRemoveLock(port.RemoveLock, Irp);
                IoReleaseRemoveLockAndWait(port.RemoveLock, Irp);
                StopAdapter(port);
                IoSkipCurrentIrpStackLocation(Irp);
                int status = IoCallDriver(port.LowerDevice, Irp);
                IoDetachDevice(port.LowerDevice);
                IoDeleteDevice(DeviceObject);
                return status;
            }
            case IRP_MN_STOP_DEVICE: {
                StopAdapter(port);
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(port.LowerDevice, Irp);
            }
            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(port.LowerDevice, Irp);
        }
    }

    private int ForwardAndWait(AhciPort port, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::StartCompletion, event, true, true, true);
        int status = IoCallDriver(port.LowerDevice, Irp);
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

    /** HBA reset, AHCI enable, port engine start; the interrupt is not connected yet. */
    private int InitializeHba(AhciPort port) {
        WRITE_REGISTER_ULONG(port.Abar + HBA_GHC, GHC_AE);
        WRITE_REGISTER_ULONG(port.Abar + HBA_GHC, GHC_AE | GHC_HR);
        for (int i = 0; i < 100 && (READ_REGISTER_ULONG(port.Abar + HBA_GHC) & GHC_HR) != 0; i++) {
            KeStallExecutionProcessor(1000);
        }
        WRITE_REGISTER_ULONG(port.Abar + HBA_GHC, GHC_AE);
        int implemented = READ_REGISTER_ULONG(port.Abar + HBA_PI);
        port.PortNumber = Integer.numberOfTrailingZeros(implemented);
        if (port.PortNumber >= 32) {
            return STATUS_DEVICE_NOT_READY;
        }
        port.PortRegs = port.Abar + 0x100 + 0x80L * port.PortNumber;
        port.CommandSlots = Math.min(((READ_REGISTER_ULONG(port.Abar + HBA_CAP) >> 8) & 0x1F) + 1, MAX_SLOTS);
        if ((READ_REGISTER_ULONG(port.PortRegs + PX_SSTS) & 0xF) != 3) {
            return STATUS_DEVICE_NOT_READY;
        }
        port.CommandListLogical = 0x00400000L;
        port.ReceivedFisLogical = 0x00401000L;
        WRITE_REGISTER_ULONG(port.PortRegs + PX_CLB, (int) port.CommandListLogical);
        WRITE_REGISTER_ULONG(port.PortRegs + PX_FB, (int) port.ReceivedFisLogical);
        WRITE_REGISTER_ULONG(port.PortRegs + PX_SERR, 0xFFFFFFFF);
        WRITE_REGISTER_ULONG(port.PortRegs + PX_IS, 0xFFFFFFFF);
        WRITE_REGISTER_ULONG(port.PortRegs + PX_CMD, CMD_FRE);
        WRITE_REGISTER_ULONG(port.PortRegs + PX_CMD, CMD_FRE | CMD_ST);
        port.SectorCount = 1L << 21;
        port.IssuedMask = 0;
        port.CompletedMask = 0;
        return STATUS_SUCCESS;
    }

    @Role(KSynchronizeRoutine.class)
    boolean EnableInterrupts(Object SynchronizeContext) {
        AhciPort port = (AhciPort) SynchronizeContext;
        WRITE_REGISTER_ULONG(port.PortRegs + PX_IE, IE_DEFAULT);
        WRITE_REGISTER_ULONG(port.Abar + HBA_GHC, GHC_AE | GHC_IE);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean DisableInterrupts(Object SynchronizeContext) {
        AhciPort port = (AhciPort) SynchronizeContext;
        WRITE_REGISTER_ULONG(port.Abar + HBA_GHC, GHC_AE);
        WRITE_REGISTER_ULONG(port.PortRegs + PX_IE, 0);
        WRITE_REGISTER_ULONG(port.PortRegs + PX_CMD, CMD_FRE);
        return true;
    }

    private int StartAdapter(AhciPort port, CmResourceList resources) {
        int vector = -1;
        int level = 0;
        long affinity = 0;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypeMemory) {
                port.Abar = MmMapIoSpace(d.u.Memory.Start, d.u.Memory.Length, MmNonCached);
                port.AbarLength = d.u.Memory.Length;
            } else if (d.Type == CmResourceTypeInterrupt) {
                vector = d.u.Interrupt.Vector;
                level = d.u.Interrupt.Level;
                affinity = d.u.Interrupt.Affinity;
            }
        }
        if (port.Abar == 0 || vector < 0) {
            return STATUS_DEVICE_NOT_READY;
        }
        int status = InitializeHba(port);
        if (!NT_SUCCESS(status)) {
            MmUnmapIoSpace(port.Abar, port.AbarLength);
            port.Abar = 0;
            return status;
        }
        DeviceDescription description = new DeviceDescription();
        description.Version = DEVICE_DESCRIPTION_VERSION2;
        description.Master = true;
        description.ScatterGather = true;
        description.Dma64BitAddresses = true;
        description.InterfaceType = PCIBus;
        description.MaximumLength = MAX_TRANSFER;
        Out<Integer> mapRegisters = new Out<>();
        port.Adapter = IoGetDmaAdapter(port.Pdo, description, mapRegisters);
        if (port.Adapter == null) {
            MmUnmapIoSpace(port.Abar, port.AbarLength);
            port.Abar = 0;
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        Out<KInterrupt> interrupt = new Out<>();
        status = IoConnectInterrupt(interrupt, this::InterruptService, port.Self, null, vector, level, level,
                LevelSensitive, true, affinity, false);
        if (!NT_SUCCESS(status)) {
            port.Adapter.DmaOperations.PutDmaAdapter(port.Adapter);
            port.Adapter = null;
            MmUnmapIoSpace(port.Abar, port.AbarLength);
            port.Abar = 0;
            return status;
        }
        port.Interrupt = interrupt.value;
        KeSynchronizeExecution(port.Interrupt, this::EnableInterrupts, port);
        IoStartTimer(port.Self);
        return STATUS_SUCCESS;
    }

    private void StopAdapter(AhciPort port) {
        IoStopTimer(port.Self);
        if (port.Interrupt != null) {
            KeSynchronizeExecution(port.Interrupt, this::DisableInterrupts, port);
            IoDisconnectInterrupt(port.Interrupt);
            port.Interrupt = null;
        }
        if (port.Adapter != null) {
            port.Adapter.DmaOperations.PutDmaAdapter(port.Adapter);
            port.Adapter = null;
        }
        if (port.Abar != 0) {
            MmUnmapIoSpace(port.Abar, port.AbarLength);
            port.Abar = 0;
        }
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }
}
