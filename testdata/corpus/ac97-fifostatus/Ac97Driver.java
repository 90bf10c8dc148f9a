package corpus.ac97fifostatus;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.ArrayList;
import java.util.List;

/**
 * Wave driver for the Intel ICH AC'97 controller. Each direction (PCM out for writes, PCM in for
 * reads) is a bus-master engine that walks a 32-entry buffer descriptor list. A request's buffer is
 * mapped with GetScatterGatherList and its elements appended to the list; the last valid index is
 * moved forward and the engine is started when it was idle. The ISR reads the global status,
 * acknowledges the stream's status register and queues that stream's service DPC; the DPC retires
 * the descriptors the engine has passed (its current index), completes the requests whose last
 * descriptor is done, and maps the requests that were waiting for room.
 *
 * Re-expressed from: reactos/reactos/drivers/wdm/audio/drivers/ac97 (miniport.cpp, wavepcistream.cpp, ichreg.h; the WDK AC97 sample) (structure and facts, not code).
 */
@HardwareId("PCI\\VEN_8086&DEV_2415")
public final class Ac97Driver {
    // bus master registers, per stream (add the stream base: PI 0x00, PO 0x10)
    static final int X_BDBAR = 0x00;
    static final int X_CIV = 0x04;
    static final int X_LVI = 0x05;
    static final int X_SR = 0x06;
    static final int X_PICB = 0x08;
    static final int X_CR = 0x0B;
    static final int PI_BASE = 0x00;
    static final int PO_BASE = 0x10;
    static final int GLOB_CNT = 0x2C;
    static final int GLOB_STA = 0x30;

    static final int GLOB_STA_PIINT = 0x20;
    static final int GLOB_STA_POINT = 0x40;
    static final int GLOB_STA_PCR = 0x100;
    static final int GLOB_CNT_COLD = 0x02;
    static final int GLOB_CNT_GIE = 0x01;

    static final int SR_DCH = 0x01;
    static final int SR_LVBCI = 0x04;
    static final int SR_BCIS = 0x08;
    static final int SR_FIFOE = 0x10;
    static final int CR_RPBM = 0x01;
    static final int CR_RR = 0x02;
    static final int CR_LVBIE = 0x04;
    static final int CR_FEIE = 0x08;
    static final int CR_IOCE = 0x10;

    static final int BDL_IOC = 0x8000;
    static final int BDL_BUP = 0x4000;

    // mixer (codec) registers
    static final int AC97_RESET = 0x00;
    static final int AC97_MASTER_VOLUME = 0x02;
    static final int AC97_PCM_OUT_VOLUME = 0x18;
    static final int AC97_RECORD_GAIN = 0x1C;

    static final int BDL_ENTRIES = 32;
    static final int MAX_ELEMENT_BYTES = 0x1FFFE;
    static final int TAG = 0x37394341;

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
        int status = IoCreateDevice(DriverObject, Ac97Extension.class, null, FILE_DEVICE_UNKNOWN, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        Ac97Extension ext = (Ac97Extension) fdo.DeviceExtension;
        ext.Self = fdo;
        ext.Pdo = PhysicalDeviceObject;
        IoInitializeRemoveLock(ext.RemoveLock, TAG, 0, 0);
        InitStream(ext, ext.PcmOut, PO_BASE, GLOB_STA_POINT, false);
        InitStream(ext, ext.PcmIn, PI_BASE, GLOB_STA_PIINT, true);
        ext.LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (ext.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_UNSUCCESSFUL;
        }
        fdo.Flags |= DO_DIRECT_IO;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private void InitStream(Ac97Extension ext, Ac97Stream stream, int base, int statusBit, boolean capture) {
        stream.Owner = ext;
        stream.RegisterBase = base;
        stream.GlobalStatusBit = statusBit;
        stream.Capture = capture;
        KeInitializeSpinLock(stream.MapLock);
        KeInitializeDpc(stream.ServiceDpc, this::ServiceStream, stream);
    }

    @Role(DriverDispatch.class)
    int DispatchCreateClose(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int DispatchReadWrite(DeviceObject DeviceObject, Irp Irp) {
        Ac97Extension ext = (Ac97Extension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        boolean capture = stack.MajorFunction == IRP_MJ_READ;
        int length = capture ? stack.Parameters.Read.Length : stack.Parameters.Write.Length;
        int status = STATUS_SUCCESS;
        if (!ext.Started) {
            status = STATUS_DEVICE_NOT_READY;
        } else if (length == 0 || (length & 3) != 0 || Irp.MdlAddress == null) {
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
        Ac97Stream stream = capture ? ext.PcmIn : ext.PcmOut;
        IoMarkIrpPending(Irp);
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(stream.MapLock, oldIrql);
        stream.Waiting.addLast(Irp);
        KeReleaseSpinLock(stream.MapLock, oldIrql.value);
        KeRaiseIrql(DISPATCH_LEVEL, oldIrql);
        GetNewMappings(stream);
        KeLowerIrql(oldIrql.value);
        return STATUS_PENDING;
    }

    // ------------------------------------------------------------------ mappings

    /** Context of one GetScatterGatherList call. */
    static final class MappingRequest {
        Ac97Stream Stream;
        Irp Irp;
        int Length;
    }

    /**
     * Maps waiting requests while the descriptor list has room for a worst-case list. DISPATCH_LEVEL.
     */
    private void GetNewMappings(Ac97Stream stream) {
        Ac97Extension ext = stream.Owner;
        while (true) {
            MappingRequest request = null;
            KeAcquireSpinLockAtDpcLevel(stream.MapLock);
            int maxElements = 0;
            if (!stream.Waiting.isEmpty()) {
                Irp irp = stream.Waiting.peekFirst();
                int length = MmGetMdlByteCount(irp.MdlAddress);
                maxElements = (length + PAGE_SIZE - 1) / PAGE_SIZE + 1;
                if (stream.InUse + stream.MappingsPending + maxElements <= BDL_ENTRIES) {
                    stream.Waiting.removeFirst();
                    stream.MappingsPending += maxElements;
                    request = new MappingRequest();
                    request.Stream = stream;
                    request.Irp = irp;
                    request.Length = length;
                }
            }
            KeReleaseSpinLockFromDpcLevel(stream.MapLock);
            if (request == null) {
                return;
            }
            Mdl mdl = request.Irp.MdlAddress;
            int status = ext.Adapter.DmaOperations.GetScatterGatherList(ext.Adapter, ext.Self, mdl,
                    MmGetMdlVirtualAddress(mdl), request.Length, this::MappingReady, request, !stream.Capture);
            if (!NT_SUCCESS(status)) {
                KeAcquireSpinLockAtDpcLevel(stream.MapLock);
                stream.MappingsPending -= maxElements;
                KeReleaseSpinLockFromDpcLevel(stream.MapLock);
                Irp failed = request.Irp;
                failed.IoStatus.Status = status;
                failed.IoStatus.Information = 0;
                IoCompleteRequest(failed, IO_NO_INCREMENT);
                IoReleaseRemoveLock(ext.RemoveLock, failed);
            }
        }
    }

    /** The request's buffer is mapped: append its pieces to the descriptor list and move LVI. */
    @Role(DriverListControl.class)
    void MappingReady(DeviceObject DeviceObject, Irp Irp, ScatterGatherList ScatterGather, Object Context) {
        MappingRequest request = (MappingRequest) Context;
        Ac97Stream stream = request.Stream;
        Ac97Extension ext = stream.Owner;
        int reserved = (request.Length + PAGE_SIZE - 1) / PAGE_SIZE + 1;
        KeAcquireSpinLockAtDpcLevel(stream.MapLock);
        stream.MappingsPending -= reserved;
        int last = -1;
        for (int i = 0; i < ScatterGather.NumberOfElements; i++) {
            int entry = stream.Tail;
            stream.BdlAddress[entry] = ScatterGather.Elements[i].Address;
            stream.BdlSamples[entry] = Math.min(ScatterGather.Elements[i].Length, MAX_ELEMENT_BYTES) / 2;
            stream.BdlFlags[entry] = 0;
            stream.BdlOwner[entry] = null;
            stream.BdlList[entry] = null;
            stream.Tail = (stream.Tail + 1) % BDL_ENTRIES;
            stream.InUse++;
            last = entry;
        }
        if (last >= 0) {
            stream.BdlFlags[last] = BDL_IOC;
            stream.BdlOwner[last] = request.Irp;
            stream.BdlList[last] = ScatterGather;
            WRITE_PORT_UCHAR(ext.BusMasterBase + stream.RegisterBase + X_LVI, (byte) last);
        }
        boolean start = !stream.Running && stream.InUse > 0;
        stream.Running = stream.Running || start;
        KeReleaseSpinLockFromDpcLevel(stream.MapLock);
        if (start) {
            KeSynchronizeExecution(ext.Interrupt, this::StartEngine, stream);
        }
    }

    @Role(KSynchronizeRoutine.class)
    boolean StartEngine(Object SynchronizeContext) {
        Ac97Stream stream = (Ac97Stream) SynchronizeContext;
        long regs = stream.Owner.BusMasterBase + stream.RegisterBase;
        WRITE_PORT_UCHAR(regs + X_CR, (byte) (CR_RPBM | CR_IOCE | CR_FEIE | CR_LVBIE));
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean StopEngine(Object SynchronizeContext) {
        Ac97Stream stream = (Ac97Stream) SynchronizeContext;
        long regs = stream.Owner.BusMasterBase + stream.RegisterBase;
        WRITE_PORT_UCHAR(regs + X_CR, (byte) 0);
        for (int i = 0; i < 10; i++) {
            if ((READ_PORT_USHORT(regs + X_SR) & SR_DCH) != 0) {
                break;
            }
            KeStallExecutionProcessor(10);
        }
        WRITE_PORT_UCHAR(regs + X_CR, (byte) CR_RR);
        return true;
    }

    // ------------------------------------------------------------------ interrupt and service

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        Ac97Extension ext = (Ac97Extension) ServiceContext;
        int global = READ_PORT_ULONG(ext.BusMasterBase + GLOB_STA);
        if (global == 0 || global == 0xFFFFFFFF) {
            return false;
        }
        boolean claimed = false;
        if ((global & GLOB_STA_POINT) != 0) {
            claimed |= AcknowledgeStream(ext, ext.PcmOut);
        }
        if ((global & GLOB_STA_PIINT) != 0) {
            claimed |= AcknowledgeStream(ext, ext.PcmIn);
        }
        return claimed;
    }

    /** Clears the stream's status bits and asks for its service DPC. DIRQL. */
    private boolean AcknowledgeStream(Ac97Extension ext, Ac97Stream stream) {
        long sr = ext.BusMasterBase + stream.RegisterBase + X_SR;
        short status = READ_PORT_USHORT(sr);
        WRITE_PORT_USHORT(sr, status);
        stream.LastStatus = status;
        KeInsertQueueDpc(stream.ServiceDpc, null, null);
        return true;
    }

    @Role(KDeferredRoutine.class)
    void ServiceStream(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Ac97Stream stream = (Ac97Stream) DeferredContext;
        Ac97Extension ext = stream.Owner;
        if (!ext.Started) {
            return;
        }
        List<Irp> finished = new ArrayList<>();
        ReleaseUsedMappings(stream, finished); // expect: SharedContextUnsynchronized
        for (Irp irp : finished) {
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(ext.RemoveLock, irp);
        }
        GetNewMappings(stream);
    }

    /**
     * Retires every descriptor before the engine's current index; a retired last descriptor
     * finishes its request. Stops the engine when the list ran dry.
     */
    private void ReleaseUsedMappings(Ac97Stream stream, List<Irp> finished) {
        Ac97Extension ext = stream.Owner;
        long regs = ext.BusMasterBase + stream.RegisterBase;
        int civ = READ_PORT_UCHAR(regs + X_CIV) & 0x1F;
        boolean halted = (READ_PORT_USHORT(regs + X_SR) & SR_DCH) != 0;
        KeAcquireSpinLockAtDpcLevel(stream.MapLock);
        if ((stream.LastStatus & SR_FIFOE) != 0) {
            stream.FifoErrors++;
        }
        while (stream.InUse > 0 && (stream.Head != civ || halted)) {
            int entry = stream.Head;
            Irp owner = stream.BdlOwner[entry];
            if (owner != null) {
                ext.Adapter.DmaOperations.PutScatterGatherList(ext.Adapter, stream.BdlList[entry], !stream.Capture);
                owner.IoStatus.Status = STATUS_SUCCESS;
                owner.IoStatus.Information = MmGetMdlByteCount(owner.MdlAddress);
                finished.add(owner);
                stream.BdlOwner[entry] = null;
                stream.BdlList[entry] = null;
            }
            stream.Head = (stream.Head + 1) % BDL_ENTRIES;
            stream.InUse--;
            if (halted && stream.Head == stream.Tail) {
                break;
            }
        }
        boolean stop = halted && stream.InUse == 0 && stream.Running;
        if (stop) {
            stream.Running = false;
        }
        KeReleaseSpinLockFromDpcLevel(stream.MapLock);
        if (stop) {
            KeSynchronizeExecution(ext.Interrupt, this::StopEngine, stream);
        }
    }

    // ------------------------------------------------------------------ PnP

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        Ac97Extension ext = (Ac97Extension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE:
                status = ForwardAndWait(ext, Irp);
                if (NT_SUCCESS(status)) {
                    status = StartDevice(ext,
                            IoGetCurrentIrpStackLocation(Irp).Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            case IRP_MN_STOP_DEVICE:
            case IRP_MN_SURPRISE_REMOVAL:
                StopDevice(ext);
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(ext.LowerDevice, Irp);
            case IRP_MN_REMOVE_DEVICE:
                StopDevice(ext);
                IoAcquireRemoveLock(ext.RemoveLock, Irp);
                IoReleaseRemoveLockAndWait(ext.RemoveLock, Irp);
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

    private int ForwardAndWait(Ac97Extension ext, Irp Irp) {
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

    /** Cold-resets the AC-link and waits for the primary codec. */
    private int ResetCodec(Ac97Extension ext) {
        WRITE_PORT_ULONG(ext.BusMasterBase + GLOB_CNT, GLOB_CNT_COLD);
        for (int i = 0; i < 50; i++) {
            if ((READ_PORT_ULONG(ext.BusMasterBase + GLOB_STA) & GLOB_STA_PCR) != 0) {
                WRITE_PORT_USHORT(ext.MixerBase + AC97_RESET, (short) 0);
                WRITE_PORT_USHORT(ext.MixerBase + AC97_MASTER_VOLUME, (short) 0x0808);
                WRITE_PORT_USHORT(ext.MixerBase + AC97_PCM_OUT_VOLUME, (short) 0x0808);
                WRITE_PORT_USHORT(ext.MixerBase + AC97_RECORD_GAIN, (short) 0x0000);
                return STATUS_SUCCESS;
            }
            KeStallExecutionProcessor(100);
        }
        return STATUS_DEVICE_NOT_READY;
    }

    private int StartDevice(Ac97Extension ext, CmResourceList resources) {
        int ports = 0;
        int vector = -1;
        int level = 0;
        long affinity = 0;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypePort) {
                if (ports == 0) {
                    ext.MixerBase = d.u.Port.Start;
                } else if (ports == 1) {
                    ext.BusMasterBase = d.u.Port.Start;
                }
                ports++;
            } else if (d.Type == CmResourceTypeInterrupt) {
                vector = d.u.Interrupt.Vector;
                level = d.u.Interrupt.Level;
                affinity = d.u.Interrupt.Affinity;
            }
        }
        if (ports < 2 || vector < 0) {
            return STATUS_DEVICE_NOT_READY;
        }
        int status = ResetCodec(ext);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceDescription description = new DeviceDescription();
        description.Version = DEVICE_DESCRIPTION_VERSION;
        description.Master = true;
        description.ScatterGather = true;
        description.Dma32BitAddresses = true;
        description.InterfaceType = PCIBus;
        description.MaximumLength = BDL_ENTRIES * PAGE_SIZE;
        Out<Integer> mapRegisters = new Out<>();
        ext.Adapter = IoGetDmaAdapter(ext.Pdo, description, mapRegisters);
        if (ext.Adapter == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        ext.PcmOut.BdlLogical = 0x00100000L;
        ext.PcmIn.BdlLogical = 0x00100100L;
        WRITE_PORT_ULONG(ext.BusMasterBase + PO_BASE + X_BDBAR, (int) ext.PcmOut.BdlLogical);
        WRITE_PORT_ULONG(ext.BusMasterBase + PI_BASE + X_BDBAR, (int) ext.PcmIn.BdlLogical);
        Out<KInterrupt> interrupt = new Out<>();
        status = IoConnectInterrupt(interrupt, this::InterruptService, ext, null, vector, level, level,
                LevelSensitive, true, affinity, false);
        if (!NT_SUCCESS(status)) {
            ext.Adapter.DmaOperations.PutDmaAdapter(ext.Adapter);
            ext.Adapter = null;
            return status;
        }
        ext.Interrupt = interrupt.value;
        ext.Started = true;
        return STATUS_SUCCESS;
    }

    /** Halts both engines and fails everything they still hold or wait for. */
    private void StopDevice(Ac97Extension ext) {
        if (!ext.Started) {
            return;
        }
        ext.Started = false;
        KeSynchronizeExecution(ext.Interrupt, this::StopEngine, ext.PcmOut);
        KeSynchronizeExecution(ext.Interrupt, this::StopEngine, ext.PcmIn);
        FlushStream(ext, ext.PcmOut);
        FlushStream(ext, ext.PcmIn);
        IoDisconnectInterrupt(ext.Interrupt);
        ext.Interrupt = null;
        ext.Adapter.DmaOperations.PutDmaAdapter(ext.Adapter);
        ext.Adapter = null;
    }

    private void FlushStream(Ac97Extension ext, Ac97Stream stream) {
        List<Irp> failed = new ArrayList<>();
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(stream.MapLock, oldIrql);
        for (int i = 0; i < BDL_ENTRIES; i++) {
            if (stream.BdlOwner[i] != null) {
                ext.Adapter.DmaOperations.PutScatterGatherList(ext.Adapter, stream.BdlList[i], !stream.Capture);
                failed.add(stream.BdlOwner[i]);
                stream.BdlOwner[i] = null;
                stream.BdlList[i] = null;
            }
        }
        failed.addAll(stream.Waiting);
        stream.Waiting.clear();
        stream.Head = 0;
        stream.Tail = 0;
        stream.InUse = 0;
        stream.Running = false;
        KeReleaseSpinLock(stream.MapLock, oldIrql.value);
        for (Irp irp : failed) {
            irp.IoStatus.Status = STATUS_DELETE_PENDING;
            irp.IoStatus.Information = 0;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(ext.RemoveLock, irp);
        }
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }
}
