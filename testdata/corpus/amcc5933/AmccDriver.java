package corpus.amcc5933;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * Driver for a PCI add-on card built on the AMCC S5933 "matchmaker": reads are moved by its
 * bus-master write channel (MWAR/MWTC, card to host) and writes by its read channel (MRAR/MRTC,
 * host to card). The S5933 has no scatter/gather, so requests go through packet-based DMA one at
 * a time from a sequential driver-managed queue: the adapter channel is allocated, each fragment
 * that MapTransfer returns is programmed in a SynchCritSection, and the transfer-count-zero
 * interrupt ends it. The ISR latches and clears INTCSR and queues the DpcForIsr; the DPC flushes,
 * programs the next fragment or frees the channel, completes the request and starts the next one.
 *
 * Re-expressed from: torvalds/linux/drivers/comedi/drivers/amcc_s5933.h (S5933 registers and bits), with the flow of MicrosoftDocs/windows-driver-docs/windows-driver-docs-pr/kernel/using-packet-based-system-dma.md for a bus master without scatter/gather (structure and facts, not code).
 */
@HardwareId("PCI\\VEN_10E8&DEV_4750")
public final class AmccDriver {
    static final int OMB1 = 0x00;
    static final int IMB1 = 0x10;
    static final int MWAR = 0x24;
    static final int MWTC = 0x28;
    static final int MRAR = 0x2C;
    static final int MRTC = 0x30;
    static final int INTCSR = 0x38;
    static final int MCSR = 0x3C;

    static final int INTCSR_WTC_ENABLE = 1 << 14;
    static final int INTCSR_RTC_ENABLE = 1 << 15;
    static final int INTCSR_WTC_INT = 1 << 18;
    static final int INTCSR_RTC_INT = 1 << 19;
    static final int INTCSR_MASTER_ABORT = 1 << 20;
    static final int INTCSR_TARGET_ABORT = 1 << 21;
    static final int INTCSR_ASSERTED = 1 << 23;
    static final int INTCSR_SOURCES = INTCSR_WTC_INT | INTCSR_RTC_INT | INTCSR_MASTER_ABORT | INTCSR_TARGET_ABORT;

    static final int MCSR_WRITE_ENABLE = 1 << 10;
    static final int MCSR_READ_ENABLE = 1 << 14;
    static final int MCSR_RESET_ADDON = 1 << 24;
    static final int MCSR_RESET_A2P_FIFO = 1 << 25;
    static final int MCSR_RESET_P2A_FIFO = 1 << 26;

    static final int MAX_TRANSFER = 0x100000;
    static final int TAG = 0x43434d41;

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
        int status = IoCreateDevice(DriverObject, AmccExtension.class, null, FILE_DEVICE_UNKNOWN, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        AmccExtension ext = (AmccExtension) fdo.DeviceExtension;
        ext.Self = fdo;
        ext.Pdo = PhysicalDeviceObject;
        KeInitializeSpinLock(ext.QueueLock);
        IoInitializeRemoveLock(ext.RemoveLock, TAG, 0, 0);
        ext.LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (ext.LowerDevice == null) {
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

    // ------------------------------------------------------------------ the sequential queue

    @Role(DriverDispatch.class)
    int DispatchReadWrite(DeviceObject DeviceObject, Irp Irp) {
        AmccExtension ext = (AmccExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int length = stack.MajorFunction == IRP_MJ_WRITE ? stack.Parameters.Write.Length : stack.Parameters.Read.Length;
        int status;
        if (ext.Interrupt == null) {
            status = STATUS_DEVICE_NOT_READY;
        } else if (length == 0 || length > MAX_TRANSFER || (length & 3) != 0) {
            status = STATUS_INVALID_PARAMETER;
        } else {
            status = IoAcquireRemoveLock(ext.RemoveLock, Irp);
        }
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoMarkIrpPending(Irp);
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(ext.QueueLock, oldIrql);
        IoSetCancelRoutine(Irp, this::CancelQueued);
        if (Irp.Cancel && IoSetCancelRoutine(Irp, null) != null) {
            KeReleaseSpinLock(ext.QueueLock, oldIrql.value);
            Irp.IoStatus.Status = STATUS_CANCELLED;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(ext.RemoveLock, Irp);
            return STATUS_PENDING;
        }
        ext.Queue.addLast(Irp);
        KeReleaseSpinLock(ext.QueueLock, oldIrql.value);
        int irql = KeRaiseIrqlToDpcLevel();
        StartNextRequest(ext);
        KeLowerIrql(irql);
        return STATUS_PENDING;
    }

    @Role(DriverCancel.class)
    void CancelQueued(DeviceObject DeviceObject, Irp Irp) {
        AmccExtension ext = (AmccExtension) DeviceObject.DeviceExtension;
        IoReleaseCancelSpinLock(Irp.CancelIrql);
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(ext.QueueLock, oldIrql);
        ext.Queue.remove(Irp);
        KeReleaseSpinLock(ext.QueueLock, oldIrql.value);
        // ours now: either still queued, or dropped by a dequeuer that lost the race with cancel
        Irp.IoStatus.Status = STATUS_CANCELLED;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        IoReleaseRemoveLock(ext.RemoveLock, Irp);
    }

    /** Presents the next queued request to the DMA engine when none is in progress. DISPATCH_LEVEL. */
    private void StartNextRequest(AmccExtension ext) {
        Irp next = null;
        KeAcquireSpinLockAtDpcLevel(ext.QueueLock);
        while (ext.CurrentIrp == null && !ext.Queue.isEmpty()) {
            Irp candidate = ext.Queue.removeFirst();
            if (IoSetCancelRoutine(candidate, null) != null) {
                ext.CurrentIrp = candidate;
                next = candidate;
            }
        }
        KeReleaseSpinLockFromDpcLevel(ext.QueueLock);
        if (next == null) {
            return;
        }
        IoStackLocation stack = IoGetCurrentIrpStackLocation(next);
        ext.WriteToDevice = stack.MajorFunction == IRP_MJ_WRITE;
        ext.TransferMdl = next.MdlAddress;
        ext.TransferVa = MmGetMdlVirtualAddress(next.MdlAddress);
        ext.TotalLength = MmGetMdlByteCount(next.MdlAddress);
        ext.BytesDone = 0;
        int status = ext.Adapter.DmaOperations.AllocateAdapterChannel(ext.Adapter, ext.Self, ext.MapRegisterCount,
                this::AdapterControl, ext);
        if (!NT_SUCCESS(status)) {
            FinishRequest(ext, status, false);
        }
    }

    /** Completes the current request and presents the next one. DISPATCH_LEVEL. */
    private void FinishRequest(AmccExtension ext, int status, boolean channelHeld) {
        if (channelHeld) {
            ext.Adapter.DmaOperations.FreeAdapterChannel(ext.Adapter);
        }
        KeAcquireSpinLockAtDpcLevel(ext.QueueLock);
        Irp done = ext.CurrentIrp;
        ext.CurrentIrp = null;
        KeReleaseSpinLockFromDpcLevel(ext.QueueLock);
        done.IoStatus.Status = status;
        done.IoStatus.Information = NT_SUCCESS(status) ? ext.BytesDone : 0;
        IoCompleteRequest(done, IO_NO_INCREMENT);
        IoReleaseRemoveLock(ext.RemoveLock, done);
        StartNextRequest(ext);
    }

    // ------------------------------------------------------------------ DMA

    @Role(DriverControl.class)
    int AdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        AmccExtension ext = (AmccExtension) Context;
        ext.MapRegisterBase = MapRegisterBase;
        ProgramNextFragment(ext);
        return KeepObject;
    }

    /** What ProgramDma needs for one fragment. */
    static final class Fragment {
        AmccExtension Ext;
        long LogicalAddress;
        int Length;
        boolean WriteToDevice;
    }

    /** Maps the next physically contiguous fragment and programs the channel for it. */
    private void ProgramNextFragment(AmccExtension ext) {
        Out<Integer> length = new Out<>(Math.min(ext.TotalLength - ext.BytesDone, ext.MapRegisterCount * PAGE_SIZE));
        long logical = ext.Adapter.DmaOperations.MapTransfer(ext.Adapter, ext.TransferMdl, ext.MapRegisterBase,
                ext.TransferVa + ext.BytesDone, length, ext.WriteToDevice);
        ext.FragmentLength = length.value;
        Fragment fragment = new Fragment();
        fragment.Ext = ext;
        fragment.LogicalAddress = logical;
        fragment.Length = length.value;
        fragment.WriteToDevice = ext.WriteToDevice;
        KeSynchronizeExecution(ext.Interrupt, this::ProgramDma, fragment);
    }

    @Role(KSynchronizeRoutine.class)
    boolean ProgramDma(Object SynchronizeContext) {
        Fragment fragment = (Fragment) SynchronizeContext;
        AmccExtension ext = fragment.Ext;
        long port = ext.PortBase;
        int mcsr = READ_PORT_ULONG(port + MCSR);
        if (fragment.WriteToDevice) {
            WRITE_PORT_ULONG(port + MRAR, (int) fragment.LogicalAddress);
            WRITE_PORT_ULONG(port + MRTC, fragment.Length);
            ext.IntCsrShadow = INTCSR_RTC_ENABLE;
            WRITE_PORT_ULONG(port + INTCSR, ext.IntCsrShadow);
            WRITE_PORT_ULONG(port + MCSR, mcsr | MCSR_READ_ENABLE);
        } else {
            WRITE_PORT_ULONG(port + MWAR, (int) fragment.LogicalAddress);
            WRITE_PORT_ULONG(port + MWTC, fragment.Length);
            ext.IntCsrShadow = INTCSR_WTC_ENABLE;
            WRITE_PORT_ULONG(port + INTCSR, ext.IntCsrShadow);
            WRITE_PORT_ULONG(port + MCSR, mcsr | MCSR_WRITE_ENABLE);
        }
        ext.TransferActive = true;
        return true;
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        AmccExtension ext = (AmccExtension) fdo.DeviceExtension;
        int intcsr = READ_PORT_ULONG(ext.PortBase + INTCSR);
        if ((intcsr & INTCSR_ASSERTED) == 0) {
            return false;
        }
        // write the source bits back to clear them, keeping the enables
        WRITE_PORT_ULONG(ext.PortBase + INTCSR, ext.IntCsrShadow | (intcsr & INTCSR_SOURCES));
        if (!ext.TransferActive) {
            return true;
        }
        ext.CapturedIntCsr |= intcsr & INTCSR_SOURCES;
        ext.TransferActive = false;
        IoRequestDpc(fdo, null, null);
        return true;
    }

    /** What the DPC takes of the ISR's capture. */
    static final class Capture {
        AmccExtension Ext;
        int IntCsr;
    }

    @Role(KSynchronizeRoutine.class)
    boolean TakeCapture(Object SynchronizeContext) {
        Capture capture = (Capture) SynchronizeContext;
        capture.IntCsr = capture.Ext.CapturedIntCsr;
        capture.Ext.CapturedIntCsr = 0;
        capture.Ext.IntCsrShadow = 0;
        WRITE_PORT_ULONG(capture.Ext.PortBase + INTCSR, 0);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        AmccExtension ext = (AmccExtension) DeviceObject.DeviceExtension;
        if (ext.CurrentIrp == null) {
            return;
        }
        Capture capture = new Capture();
        capture.Ext = ext;
        KeSynchronizeExecution(ext.Interrupt, this::TakeCapture, capture);
        if (capture.IntCsr == 0) {
            return;
        }
        ext.Adapter.DmaOperations.FlushAdapterBuffers(ext.Adapter, ext.TransferMdl, ext.MapRegisterBase,
                ext.TransferVa + ext.BytesDone, ext.FragmentLength, ext.WriteToDevice);
        if ((capture.IntCsr & (INTCSR_MASTER_ABORT | INTCSR_TARGET_ABORT)) != 0) {
            FinishRequest(ext, STATUS_DEVICE_DATA_ERROR, true);
            return;
        }
        ext.BytesDone += ext.FragmentLength;
        if (ext.BytesDone < ext.TotalLength) {
            ProgramNextFragment(ext);
            return;
        }
        FinishRequest(ext, STATUS_SUCCESS, true);
    }

    // ------------------------------------------------------------------ PnP

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        AmccExtension ext = (AmccExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE: {
                int status = ForwardAndWait(ext, Irp);
                if (NT_SUCCESS(status)) {
                    status = PrepareHardware(ext,
                            IoGetCurrentIrpStackLocation(Irp).Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
            case IRP_MN_STOP_DEVICE:
            case IRP_MN_SURPRISE_REMOVAL: {
                ReleaseHardware(ext);
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(ext.LowerDevice, Irp);
            }
            case IRP_MN_REMOVE_DEVICE: {
                IoAcquireRemoveLock(ext.RemoveLock, Irp);
                IoReleaseRemoveLockAndWait(ext.RemoveLock, Irp);
                ReleaseHardware(ext);
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

    private int ForwardAndWait(AmccExtension ext, Irp Irp) {
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

    /** Resets the add-on side and both FIFOs, and masks every interrupt source. */
    private void ResetCard(AmccExtension ext) {
        long port = ext.PortBase;
        WRITE_PORT_ULONG(port + INTCSR, INTCSR_SOURCES);
        WRITE_PORT_ULONG(port + MCSR, MCSR_RESET_ADDON | MCSR_RESET_A2P_FIFO | MCSR_RESET_P2A_FIFO);
        KeStallExecutionProcessor(10);
        WRITE_PORT_ULONG(port + MCSR, 0);
        ext.IntCsrShadow = 0;
        ext.CapturedIntCsr = 0;
        ext.TransferActive = false;
    }

    private int PrepareHardware(AmccExtension ext, CmResourceList resources) {
        int vector = -1;
        int level = 0;
        long affinity = 0;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypePort && ext.PortBase == 0) {
                ext.PortBase = d.u.Port.Start;
            } else if (d.Type == CmResourceTypeInterrupt) {
                vector = d.u.Interrupt.Vector;
                level = d.u.Interrupt.Level;
                affinity = d.u.Interrupt.Affinity;
            }
        }
        if (ext.PortBase == 0 || vector < 0) {
            return STATUS_DEVICE_NOT_READY;
        }
        ResetCard(ext);
        DeviceDescription description = new DeviceDescription();
        description.Version = DEVICE_DESCRIPTION_VERSION;
        description.Master = true;
        description.ScatterGather = false;
        description.Dma32BitAddresses = true;
        description.InterfaceType = PCIBus;
        description.MaximumLength = MAX_TRANSFER;
        Out<Integer> mapRegisters = new Out<>();
        ext.Adapter = IoGetDmaAdapter(ext.Pdo, description, mapRegisters);
        if (ext.Adapter == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        ext.MapRegisterCount = mapRegisters.value;
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptService, ext.Self, null, vector, level, level,
                LevelSensitive, true, affinity, false);
        if (!NT_SUCCESS(status)) {
            ext.Adapter.DmaOperations.PutDmaAdapter(ext.Adapter);
            ext.Adapter = null;
            return status;
        }
        ext.Interrupt = interrupt.value;
        return STATUS_SUCCESS;
    }

    @Role(KSynchronizeRoutine.class)
    boolean Quiesce(Object SynchronizeContext) {
        AmccExtension ext = (AmccExtension) SynchronizeContext;
        ResetCard(ext);
        return true;
    }

    private void ReleaseHardware(AmccExtension ext) {
        if (ext.Interrupt != null) {
            KeSynchronizeExecution(ext.Interrupt, this::Quiesce, ext);
            IoDisconnectInterrupt(ext.Interrupt);
            ext.Interrupt = null;
        }
        if (ext.Adapter != null) {
            ext.Adapter.DmaOperations.PutDmaAdapter(ext.Adapter);
            ext.Adapter = null;
        }
        ext.PortBase = 0;
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }
}
