package corpus.plx9x5xpassivesg;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * Driver for a PLX PCI9656 bridge with its on-board SRAM: reads and writes are moved by the two
 * chaining DMA channels of the bridge (channel 0 writes to the board, channel 1 reads from it).
 * Each direction has its own sequential queue; a request is mapped with GetScatterGatherList, the
 * list is turned into the bridge's descriptor chain, and the channel is started under the interrupt
 * lock. The ISR latches which channel finished and queues the DpcForIsr, which takes the latched
 * state under the interrupt lock and completes the read and/or the write.
 *
 * Re-expressed from: microsoft/Windows-driver-samples/general/PLX9x5x/sys (IsrDpc.c, Read.c, Write.c, Init.c) (structure and facts, not code).
 */
@HardwareId("PCI\\VEN_10B5&DEV_9656")
public final class PlxDriver {
    // PCI9656 local configuration registers (offsets from BAR0)
    static final int REG_INT_CSR = 0x68;
    static final int REG_EEPROM_CTRL = 0x6C;
    static final int REG_DMA0_MODE = 0x80;
    static final int REG_DMA0_DESC_PTR = 0x90;
    static final int REG_DMA1_MODE = 0x94;
    static final int REG_DMA1_DESC_PTR = 0xA4;
    static final int REG_DMA0_CSR = 0xA8;
    static final int REG_DMA1_CSR = 0xA9;
    static final int REG_DMA0_DAC = 0xB4;
    static final int REG_DMA1_DAC = 0xB8;

    static final int INT_PCI_ENABLE = 1 << 8;
    static final int INT_DMA0_ENABLE = 1 << 18;
    static final int INT_DMA1_ENABLE = 1 << 19;
    static final int INT_DMA0_ACTIVE = 1 << 21;
    static final int INT_DMA1_ACTIVE = 1 << 22;

    static final int CSR_ENABLE = 0x01;
    static final int CSR_START = 0x02;
    static final int CSR_ABORT = 0x04;
    static final int CSR_CLEAR = 0x08;
    static final int CSR_DONE = 0x10;

    static final int MODE_SG_ENABLE = 1 << 9;
    static final int MODE_DONE_INT = 1 << 10;
    static final int MODE_CLEAR_COUNT = 1 << 16;
    static final int MODE_INT_TO_PCI = 1 << 17;

    static final int DESC_IN_PCI = 0x1;
    static final int DESC_END_OF_CHAIN = 0x2;
    static final int DESC_TERM_COUNT_INT = 0x4;
    static final int DESC_FROM_DEVICE = 0x8;

    static final int EEPROM_SOFTWARE_RESET = 1 << 30;
    static final int SRAM_SIZE = 0x10000;
    static final int MAX_SG_ELEMENTS = 32;
    static final int TAG = 0x584c5020;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        DriverObject.DriverUnload = this::Unload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::DispatchCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::DispatchCreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::DispatchRead;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = this::DispatchWrite;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::DispatchPnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject PhysicalDeviceObject) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, PlxExtension.class, null, FILE_DEVICE_UNKNOWN,
                FILE_DEVICE_SECURE_OPEN, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        PlxExtension devExt = (PlxExtension) fdo.DeviceExtension;
        devExt.Self = fdo;
        devExt.Pdo = PhysicalDeviceObject;
        KeInitializeSpinLock(devExt.QueueLock);
        IoInitializeRemoveLock(devExt.RemoveLock, TAG, 0, 0);
        devExt.LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (devExt.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_UNSUCCESSFUL;
        }
        IoInitializeDpcRequest(fdo, this::DpcForIsr);
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

    // ------------------------------------------------------------------ read and write queues

    /** Checks a transfer: it must fit the board's SRAM and the device must be started. */
    private int ValidateTransfer(PlxExtension devExt, int length) {
        if (!devExt.Started) {
            return STATUS_DEVICE_NOT_READY;
        }
        if (length == 0 || length > SRAM_SIZE) {
            return STATUS_INVALID_PARAMETER;
        }
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int DispatchRead(DeviceObject DeviceObject, Irp Irp) {
        PlxExtension devExt = (PlxExtension) DeviceObject.DeviceExtension;
        int status = ValidateTransfer(devExt, IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length);
        if (NT_SUCCESS(status)) {
            status = IoAcquireRemoveLock(devExt.RemoveLock, Irp);
        }
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoMarkIrpPending(Irp);
        QueueRequest(devExt, Irp, false);
        StartNextRequest(devExt, false); // expect: IrqlDispatch
        return STATUS_PENDING;
    }

    @Role(DriverDispatch.class)
    int DispatchWrite(DeviceObject DeviceObject, Irp Irp) {
        PlxExtension devExt = (PlxExtension) DeviceObject.DeviceExtension;
        int status = ValidateTransfer(devExt, IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length);
        if (NT_SUCCESS(status)) {
            status = IoAcquireRemoveLock(devExt.RemoveLock, Irp);
        }
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoMarkIrpPending(Irp);
        QueueRequest(devExt, Irp, true);
        StartNextRequest(devExt, true); // expect: IrqlDispatch
        return STATUS_PENDING;
    }

    private int LockQueues(PlxExtension devExt) {
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(devExt.QueueLock, oldIrql);
        return oldIrql.value;
    }

    private void UnlockQueues(PlxExtension devExt, int oldIrql) {
        KeReleaseSpinLock(devExt.QueueLock, oldIrql);
    }

    /** Puts the IRP on its direction's queue with a cancel routine, unless it is already cancelled. */
    private void QueueRequest(PlxExtension devExt, Irp Irp, boolean write) {
        int irql = LockQueues(devExt);
        IoSetCancelRoutine(Irp, this::CancelQueued);
        if (Irp.Cancel && IoSetCancelRoutine(Irp, null) != null) {
            UnlockQueues(devExt, irql);
            Irp.IoStatus.Status = STATUS_CANCELLED;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(devExt.RemoveLock, Irp);
            return;
        }
        if (write) {
            devExt.WriteQueue.addLast(Irp);
        } else {
            devExt.ReadQueue.addLast(Irp);
        }
        UnlockQueues(devExt, irql);
    }

    @Role(DriverCancel.class)
    void CancelQueued(DeviceObject DeviceObject, Irp Irp) {
        PlxExtension devExt = (PlxExtension) DeviceObject.DeviceExtension;
        IoReleaseCancelSpinLock(Irp.CancelIrql);
        int irql = LockQueues(devExt);
        if (!devExt.ReadQueue.remove(Irp)) {
            devExt.WriteQueue.remove(Irp);
        }
        UnlockQueues(devExt, irql);
        // ours now: either still queued, or dropped by a dequeuer that lost the race with cancel
        Irp.IoStatus.Status = STATUS_CANCELLED;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        IoReleaseRemoveLock(devExt.RemoveLock, Irp);
    }

    /**
     * Presents the next queued request of one direction to the DMA engine, if that channel is idle.
     * Callable from a dispatch routine or from the DPC.
     */
    private void StartNextRequest(PlxExtension devExt, boolean write) {
        Irp next = null;
        int irql = LockQueues(devExt);
        while (true) {
            boolean busy = write ? devExt.CurrentWrite != null : devExt.CurrentRead != null;
            Irp candidate = null;
            if (!busy) {
                candidate = write ? devExt.WriteQueue.pollFirst() : devExt.ReadQueue.pollFirst();
            }
            if (candidate == null) {
                break;
            }
            if (IoSetCancelRoutine(candidate, null) != null) {
                next = candidate;
                if (write) {
                    devExt.CurrentWrite = next;
                } else {
                    devExt.CurrentRead = next;
                }
                break;
            }
            // the cancel routine owns it and will find it gone from the queue
        }
        UnlockQueues(devExt, irql);
        if (next == null) {
            return;
        }
        int status = BeginDma(devExt, next, write);
        if (!NT_SUCCESS(status)) {
            FailCurrent(devExt, write, status);
        }
    }

    /** Asks the HAL for the request's scatter/gather list; the list control routine programs the channel. */
    private int BeginDma(PlxExtension devExt, Irp Irp, boolean write) {
        Mdl mdl = Irp.MdlAddress;
        int length = MmGetMdlByteCount(mdl);
        if (write) {
            devExt.WriteLength = length;
            return devExt.Adapter.DmaOperations.GetScatterGatherList(devExt.Adapter, devExt.Self, mdl,
                    MmGetMdlVirtualAddress(mdl), length, this::ProgramWriteDma, devExt, true);
        }
        devExt.ReadLength = length;
        return devExt.Adapter.DmaOperations.GetScatterGatherList(devExt.Adapter, devExt.Self, mdl,
                MmGetMdlVirtualAddress(mdl), length, this::ProgramReadDma, devExt, false);
    }

    /** The HAL refused the mapping: complete the current request of that direction with the error. */
    private void FailCurrent(PlxExtension devExt, boolean write, int status) {
        int irql = LockQueues(devExt);
        Irp failed = write ? devExt.CurrentWrite : devExt.CurrentRead;
        if (write) {
            devExt.CurrentWrite = null;
        } else {
            devExt.CurrentRead = null;
        }
        UnlockQueues(devExt, irql);
        if (failed == null) {
            return;
        }
        failed.IoStatus.Status = status;
        failed.IoStatus.Information = 0;
        IoCompleteRequest(failed, IO_NO_INCREMENT);
        IoReleaseRemoveLock(devExt.RemoveLock, failed);
        StartNextRequest(devExt, write);
    }

    /** Fills a descriptor table from a scatter/gather list; returns the number of elements used. */
    private int BuildChain(int[] table, ScatterGatherList list, boolean fromDevice) {
        int local = 0;
        int count = Math.min(list.NumberOfElements, MAX_SG_ELEMENTS);
        for (int i = 0; i < count; i++) {
            ScatterGatherList.Element e = list.Elements[i];
            int flags = DESC_IN_PCI | (fromDevice ? DESC_FROM_DEVICE : 0);
            if (i == count - 1) {
                flags |= DESC_END_OF_CHAIN | DESC_TERM_COUNT_INT;
            }
            table[4 * i] = (int) e.Address;
            table[4 * i + 1] = local;
            table[4 * i + 2] = e.Length;
            table[4 * i + 3] = flags;
            local += e.Length;
        }
        return count;
    }

    @Role(DriverListControl.class)
    void ProgramReadDma(DeviceObject DeviceObject, Irp Irp, ScatterGatherList ScatterGather, Object Context) {
        PlxExtension devExt = (PlxExtension) Context;
        devExt.ReadSgList = ScatterGather;
        BuildChain(devExt.ReadDescriptors, ScatterGather, true);
        KeSynchronizeExecution(devExt.Interrupt, this::StartReadChannel, devExt);
    }

    @Role(DriverListControl.class)
    void ProgramWriteDma(DeviceObject DeviceObject, Irp Irp, ScatterGatherList ScatterGather, Object Context) {
        PlxExtension devExt = (PlxExtension) Context;
        devExt.WriteSgList = ScatterGather;
        BuildChain(devExt.WriteDescriptors, ScatterGather, false);
        KeSynchronizeExecution(devExt.Interrupt, this::StartWriteChannel, devExt);
    }

    @Role(KSynchronizeRoutine.class)
    boolean StartReadChannel(Object SynchronizeContext) {
        PlxExtension devExt = (PlxExtension) SynchronizeContext;
        long regs = devExt.Regs;
        int mode = READ_REGISTER_ULONG(regs + REG_DMA1_MODE);
        WRITE_REGISTER_ULONG(regs + REG_DMA1_MODE, mode | MODE_SG_ENABLE | MODE_DONE_INT | MODE_INT_TO_PCI
                | MODE_CLEAR_COUNT);
        int intCsr = READ_REGISTER_ULONG(regs + REG_INT_CSR);
        WRITE_REGISTER_ULONG(regs + REG_INT_CSR, intCsr | INT_PCI_ENABLE | INT_DMA1_ENABLE);
        WRITE_REGISTER_ULONG(regs + REG_DMA1_DESC_PTR, (int) devExt.ReadDescriptorsLA | DESC_IN_PCI
                | DESC_TERM_COUNT_INT);
        byte csr = READ_REGISTER_UCHAR(regs + REG_DMA1_CSR);
        WRITE_REGISTER_UCHAR(regs + REG_DMA1_CSR, (byte) (csr | CSR_ENABLE | CSR_START));
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean StartWriteChannel(Object SynchronizeContext) {
        PlxExtension devExt = (PlxExtension) SynchronizeContext;
        long regs = devExt.Regs;
        int mode = READ_REGISTER_ULONG(regs + REG_DMA0_MODE);
        WRITE_REGISTER_ULONG(regs + REG_DMA0_MODE, mode | MODE_SG_ENABLE | MODE_DONE_INT | MODE_INT_TO_PCI
                | MODE_CLEAR_COUNT);
        int intCsr = READ_REGISTER_ULONG(regs + REG_INT_CSR);
        WRITE_REGISTER_ULONG(regs + REG_INT_CSR, intCsr | INT_PCI_ENABLE | INT_DMA0_ENABLE);
        WRITE_REGISTER_ULONG(regs + REG_DMA0_DESC_PTR, (int) devExt.WriteDescriptorsLA | DESC_IN_PCI
                | DESC_TERM_COUNT_INT);
        byte csr = READ_REGISTER_UCHAR(regs + REG_DMA0_CSR);
        WRITE_REGISTER_UCHAR(regs + REG_DMA0_CSR, (byte) (csr | CSR_ENABLE | CSR_START));
        return true;
    }

    // ------------------------------------------------------------------ interrupt

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        PlxExtension devExt = (PlxExtension) fdo.DeviceExtension;
        boolean recognized = false;
        int intCsr = READ_REGISTER_ULONG(devExt.Regs + REG_INT_CSR);
        if ((intCsr & INT_DMA0_ACTIVE) != 0) {
            devExt.Chan0Active = true;
            devExt.Dma0Csr = READ_REGISTER_UCHAR(devExt.Regs + REG_DMA0_CSR) & 0xFF;
            WRITE_REGISTER_UCHAR(devExt.Regs + REG_DMA0_CSR, (byte) (devExt.Dma0Csr | CSR_CLEAR));
            recognized = true;
        }
        if ((intCsr & INT_DMA1_ACTIVE) != 0) {
            devExt.Chan1Active = true;
            devExt.Dma1Csr = READ_REGISTER_UCHAR(devExt.Regs + REG_DMA1_CSR) & 0xFF;
            WRITE_REGISTER_UCHAR(devExt.Regs + REG_DMA1_CSR, (byte) (devExt.Dma1Csr | CSR_CLEAR));
            recognized = true;
        }
        if (recognized && ((devExt.Dma0Csr & CSR_DONE) != 0 || (devExt.Dma1Csr & CSR_DONE) != 0)) {
            IoRequestDpc(fdo, null, null);
        }
        return recognized;
    }

    /** What the DPC takes of the ISR's latched state. */
    static final class InterruptSnapshot {
        PlxExtension DevExt;
        boolean WriteDone;
        boolean ReadDone;
    }

    @Role(KSynchronizeRoutine.class)
    boolean TakeInterruptState(Object SynchronizeContext) {
        InterruptSnapshot snapshot = (InterruptSnapshot) SynchronizeContext;
        PlxExtension devExt = snapshot.DevExt;
        if (devExt.Chan0Active && (devExt.Dma0Csr & CSR_DONE) != 0) {
            devExt.Chan0Active = false;
            devExt.Dma0Csr = 0;
            snapshot.WriteDone = true;
        }
        if (devExt.Chan1Active && (devExt.Dma1Csr & CSR_DONE) != 0) {
            devExt.Chan1Active = false;
            devExt.Dma1Csr = 0;
            snapshot.ReadDone = true;
        }
        return true;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        PlxExtension devExt = (PlxExtension) DeviceObject.DeviceExtension;
        InterruptSnapshot snapshot = new InterruptSnapshot();
        snapshot.DevExt = devExt;
        KeSynchronizeExecution(devExt.Interrupt, this::TakeInterruptState, snapshot);
        if (snapshot.WriteDone) {
            WriteRequestComplete(devExt, STATUS_SUCCESS);
        }
        if (snapshot.ReadDone) {
            ReadRequestComplete(devExt, STATUS_SUCCESS);
        }
    }

    /** Ends the write transfer, completes the write and presents the next one. DISPATCH_LEVEL. */
    private void WriteRequestComplete(PlxExtension devExt, int status) {
        Irp request = devExt.CurrentWrite;
        if (request == null) {
            return;
        }
        devExt.Adapter.DmaOperations.PutScatterGatherList(devExt.Adapter, devExt.WriteSgList, true);
        devExt.WriteSgList = null;
        request.IoStatus.Status = status;
        request.IoStatus.Information = NT_SUCCESS(status) ? devExt.WriteLength : 0;
        KeAcquireSpinLockAtDpcLevel(devExt.QueueLock);
        devExt.CurrentWrite = null;
        KeReleaseSpinLockFromDpcLevel(devExt.QueueLock);
        IoCompleteRequest(request, IO_NO_INCREMENT);
        IoReleaseRemoveLock(devExt.RemoveLock, request);
        StartNextRequest(devExt, true);
    }

    /** Ends the read transfer, completes the read and presents the next one. DISPATCH_LEVEL. */
    private void ReadRequestComplete(PlxExtension devExt, int status) {
        Irp request = devExt.CurrentRead;
        if (request == null) {
            return;
        }
        devExt.Adapter.DmaOperations.PutScatterGatherList(devExt.Adapter, devExt.ReadSgList, false);
        devExt.ReadSgList = null;
        request.IoStatus.Status = status;
        request.IoStatus.Information = NT_SUCCESS(status) ? devExt.ReadLength : 0;
        KeAcquireSpinLockAtDpcLevel(devExt.QueueLock);
        devExt.CurrentRead = null;
        KeReleaseSpinLockFromDpcLevel(devExt.QueueLock);
        IoCompleteRequest(request, IO_NO_INCREMENT);
        IoReleaseRemoveLock(devExt.RemoveLock, request);
        StartNextRequest(devExt, false);
    }

    // ------------------------------------------------------------------ PnP

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        PlxExtension devExt = (PlxExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE:
                status = ForwardAndWait(devExt, Irp);
                if (NT_SUCCESS(status)) {
                    status = PrepareHardware(devExt,
                            IoGetCurrentIrpStackLocation(Irp).Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            case IRP_MN_STOP_DEVICE:
                ReleaseHardware(devExt);
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(devExt.LowerDevice, Irp);
            case IRP_MN_SURPRISE_REMOVAL:
                ReleaseHardware(devExt);
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(devExt.LowerDevice, Irp);
            case IRP_MN_REMOVE_DEVICE:
                IoAcquireRemoveLock(devExt.RemoveLock, Irp);
                IoReleaseRemoveLockAndWait(devExt.RemoveLock, Irp);
                ReleaseHardware(devExt);
                IoSkipCurrentIrpStackLocation(Irp);
                status = IoCallDriver(devExt.LowerDevice, Irp);
                IoDetachDevice(devExt.LowerDevice);
                IoDeleteDevice(DeviceObject);
                return status;
            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(devExt.LowerDevice, Irp);
        }
    }

    private int ForwardAndWait(PlxExtension devExt, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::StartCompletion, event, true, true, true);
        int status = IoCallDriver(devExt.LowerDevice, Irp);
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

    @Pageable
    private int PrepareHardware(PlxExtension devExt, CmResourceList resources) {
        PAGED_CODE();
        int vector = -1;
        int level = 0;
        long affinity = 0;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypeMemory && devExt.Regs == 0) {
                devExt.Regs = MmMapIoSpace(d.u.Memory.Start, d.u.Memory.Length, MmNonCached);
                devExt.RegsLength = d.u.Memory.Length;
            } else if (d.Type == CmResourceTypeInterrupt) {
                vector = d.u.Interrupt.Vector;
                level = d.u.Interrupt.Level;
                affinity = d.u.Interrupt.Affinity;
            }
        }
        if (devExt.Regs == 0 || vector < 0) {
            ReleaseHardware(devExt);
            return STATUS_DEVICE_NOT_READY;
        }
        HardwareReset(devExt);
        int status = InitializeDma(devExt);
        if (!NT_SUCCESS(status)) {
            ReleaseHardware(devExt);
            return status;
        }
        Out<KInterrupt> interrupt = new Out<>();
        status = IoConnectInterrupt(interrupt, this::InterruptService, devExt.Self, null, vector, level, level,
                LevelSensitive, true, affinity, false);
        if (!NT_SUCCESS(status)) {
            ReleaseHardware(devExt);
            return status;
        }
        devExt.Interrupt = interrupt.value;
        KeSynchronizeExecution(devExt.Interrupt, this::EnableInterrupt, devExt);
        devExt.Started = true;
        return STATUS_SUCCESS;
    }

    /** Soft-resets the bridge through the EEPROM control register and clears both channels. */
    private void HardwareReset(PlxExtension devExt) {
        long regs = devExt.Regs;
        WRITE_REGISTER_ULONG(regs + REG_INT_CSR, 0);
        int ee = READ_REGISTER_ULONG(regs + REG_EEPROM_CTRL);
        WRITE_REGISTER_ULONG(regs + REG_EEPROM_CTRL, ee | EEPROM_SOFTWARE_RESET);
        KeStallExecutionProcessor(100);
        WRITE_REGISTER_ULONG(regs + REG_EEPROM_CTRL, ee & ~EEPROM_SOFTWARE_RESET);
        WRITE_REGISTER_UCHAR(regs + REG_DMA0_CSR, (byte) (CSR_ABORT | CSR_CLEAR));
        WRITE_REGISTER_UCHAR(regs + REG_DMA1_CSR, (byte) (CSR_ABORT | CSR_CLEAR));
        WRITE_REGISTER_ULONG(regs + REG_DMA0_DAC, 0);
        WRITE_REGISTER_ULONG(regs + REG_DMA1_DAC, 0);
        devExt.Chan0Active = false;
        devExt.Chan1Active = false;
        devExt.Dma0Csr = 0;
        devExt.Dma1Csr = 0;
    }

    @Pageable
    private int InitializeDma(PlxExtension devExt) {
        PAGED_CODE();
        DeviceDescription description = new DeviceDescription();
        description.Version = DEVICE_DESCRIPTION_VERSION2;
        description.Master = true;
        description.ScatterGather = true;
        description.Dma32BitAddresses = true;
        description.InterfaceType = PCIBus;
        description.MaximumLength = SRAM_SIZE;
        Out<Integer> mapRegisters = new Out<>();
        devExt.Adapter = IoGetDmaAdapter(devExt.Pdo, description, mapRegisters);
        if (devExt.Adapter == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        devExt.MapRegisterCount = mapRegisters.value;
        // the descriptor tables sit at fixed offsets of the board's window
        devExt.ReadDescriptorsLA = 0x1000;
        devExt.WriteDescriptorsLA = 0x2000;
        return STATUS_SUCCESS;
    }

    @Role(KSynchronizeRoutine.class)
    boolean EnableInterrupt(Object SynchronizeContext) {
        PlxExtension devExt = (PlxExtension) SynchronizeContext;
        int intCsr = READ_REGISTER_ULONG(devExt.Regs + REG_INT_CSR);
        WRITE_REGISTER_ULONG(devExt.Regs + REG_INT_CSR, intCsr | INT_PCI_ENABLE);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean DisableInterrupt(Object SynchronizeContext) {
        PlxExtension devExt = (PlxExtension) SynchronizeContext;
        int intCsr = READ_REGISTER_ULONG(devExt.Regs + REG_INT_CSR);
        WRITE_REGISTER_ULONG(devExt.Regs + REG_INT_CSR, intCsr & ~INT_PCI_ENABLE);
        return true;
    }

    private void ReleaseHardware(PlxExtension devExt) {
        devExt.Started = false;
        if (devExt.Interrupt != null) {
            KeSynchronizeExecution(devExt.Interrupt, this::DisableInterrupt, devExt);
            IoDisconnectInterrupt(devExt.Interrupt);
            devExt.Interrupt = null;
        }
        if (devExt.Adapter != null) {
            devExt.Adapter.DmaOperations.PutDmaAdapter(devExt.Adapter);
            devExt.Adapter = null;
        }
        if (devExt.Regs != 0) {
            MmUnmapIoSpace(devExt.Regs, devExt.RegsLength);
            devExt.Regs = 0;
        }
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }
}
