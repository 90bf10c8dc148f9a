package corpus.hdaudbusdroppedonerror;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.ArrayList;
import java.util.List;

/**
 * Bus driver for an Intel High Definition Audio controller, reduced to the codec command path.
 * Verb requests arrive as IOCTLs; their verbs are written into the command output ring buffer
 * (CORB) the controller bus-masters from, and the controller writes the codecs' answers into the
 * response input ring buffer (RIRB). The ISR checks the global interrupt status, acknowledges
 * RIRBSTS and CORBSTS and queues the DpcForIsr; the DPC walks the RIRB up to the controller's write
 * pointer, hands solicited responses to the request at the head of the in-flight list (completing
 * it with its last response), queues unsolicited ones for a CustomDpc, and refills the CORB. An
 * IoTimer fails a request a codec never answered.
 *
 * Re-expressed from: reactos/reactos/drivers/wdm/audio/hdaudbus/fdo.cpp (HDA_InterruptService, HDA_DpcForIsr, HDA_SendVerbs, HDA_InitCorbRirbPos) (structure and facts, not code).
 */
@HardwareId("PCI\\CC_0403")
public final class HdaBus {
    static final int GCTL = 0x08;
    static final int STATESTS = 0x0E;
    static final int INTCTL = 0x20;
    static final int INTSTS = 0x24;
    static final int CORBLBASE = 0x40;
    static final int CORBUBASE = 0x44;
    static final int CORBWP = 0x48;
    static final int CORBRP = 0x4A;
    static final int CORBCTL = 0x4C;
    static final int CORBSTS = 0x4D;
    static final int RIRBLBASE = 0x50;
    static final int RIRBUBASE = 0x54;
    static final int RIRBWP = 0x58;
    static final int RINTCNT = 0x5A;
    static final int RIRBCTL = 0x5C;
    static final int RIRBSTS = 0x5D;

    static final int GCTL_CRST = 0x1;
    static final int INTCTL_GIE = 0x80000000;
    static final int INTCTL_CIE = 0x40000000;
    static final int INTSTS_GIS = 0x80000000;
    static final int INTSTS_CIS = 0x40000000;
    static final int CORBRP_RESET = 0x8000;
    static final int CORBCTL_RUN = 0x02;
    static final int CORBCTL_MEIE = 0x01;
    static final int RIRBWP_RESET = 0x8000;
    static final int RIRBCTL_RINTCTL = 0x01;
    static final int RIRBCTL_DMAEN = 0x02;
    static final int RIRBSTS_RINTFL = 0x01;
    static final int RIRBSTS_OVERRUN = 0x04;
    static final int CORBSTS_MEI = 0x01;
    static final long RESPONSE_UNSOLICITED = 0x10L << 32;

    static final int RING_ENTRIES = 256;
    static final int MAX_VERBS = 16;
    static final int VERB_TIMEOUT_TICKS = 2;
    static final int TAG = 0x20414448;
    static final int IOCTL_HDA_SEND_VERBS = CTL_CODE(FILE_DEVICE_UNKNOWN, 0x820, METHOD_BUFFERED, FILE_ANY_ACCESS);

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        DriverObject.DriverUnload = this::Unload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::DispatchCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::DispatchCreateClose;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = this::DispatchDeviceControl;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::DispatchPnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject PhysicalDeviceObject) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, HdaExtension.class, null, FILE_DEVICE_UNKNOWN, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        HdaExtension hda = (HdaExtension) fdo.DeviceExtension;
        hda.Self = fdo;
        hda.Pdo = PhysicalDeviceObject;
        KeInitializeSpinLock(hda.RingLock);
        IoInitializeRemoveLock(hda.RemoveLock, TAG, 0, 0);
        hda.Unsolicited = ExAllocatePoolWithTag(NonPagedPool, HdaExtension.UnsolicitedState.class, TAG);
        if (hda.Unsolicited == null) {
            IoDeleteDevice(fdo);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        hda.Unsolicited.Owner = hda;
        KeInitializeDpc(hda.UnsolicitedDpc, this::UnsolicitedDpc, hda.Unsolicited);
        hda.LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (hda.LowerDevice == null) {
            ExFreePoolWithTag(hda.Unsolicited, TAG);
            IoDeleteDevice(fdo);
            return STATUS_UNSUCCESSFUL;
        }
        IoInitializeDpcRequest(fdo, this::DpcForIsr);
        IoInitializeTimer(fdo, this::VerbTimer, hda);
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

    // ------------------------------------------------------------------ verbs

    /** Reads the verbs of the IOCTL's input buffer; null when the request is malformed. */
    private int[] ParseVerbs(Irp Irp, IoStackLocation stack) {
        int in = stack.Parameters.DeviceIoControl.InputBufferLength;
        int out = stack.Parameters.DeviceIoControl.OutputBufferLength;
        int count = in / 4;
        if (count == 0 || count > MAX_VERBS || in % 4 != 0 || out < in) {
            return null;
        }
        byte[] buffer = Irp.AssociatedIrp.SystemBuffer;
        int[] verbs = new int[count];
        for (int i = 0; i < count; i++) {
            verbs[i] = (buffer[4 * i] & 0xFF) | ((buffer[4 * i + 1] & 0xFF) << 8) | ((buffer[4 * i + 2] & 0xFF) << 16)
                    | ((buffer[4 * i + 3] & 0xFF) << 24);
        }
        return verbs;
    }

    @Role(DriverDispatch.class)
    int DispatchDeviceControl(DeviceObject DeviceObject, Irp Irp) {
        HdaExtension hda = (HdaExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int[] verbs = null;
        int status;
        if (stack.Parameters.DeviceIoControl.IoControlCode != IOCTL_HDA_SEND_VERBS) {
            status = STATUS_INVALID_DEVICE_REQUEST;
        } else if (hda.Interrupt == null) {
            status = STATUS_DEVICE_NOT_READY;
        } else {
            verbs = ParseVerbs(Irp, stack);
            status = verbs == null ? STATUS_INVALID_PARAMETER : IoAcquireRemoveLock(hda.RemoveLock, Irp);
        }
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        HdaExtension.VerbRequest request = new HdaExtension.VerbRequest();
        request.Irp = Irp;
        request.Verbs = verbs;
        IoMarkIrpPending(Irp);
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(hda.RingLock, oldIrql);
        hda.Waiting.addLast(request);
        PumpCorb(hda);
        KeReleaseSpinLock(hda.RingLock, oldIrql.value);
        return STATUS_PENDING;
    }

    /**
     * Moves waiting requests into the CORB while it has room for all of a request's verbs, then
     * tells the controller the new write pointer. RingLock held.
     */
    private void PumpCorb(HdaExtension hda) {
        int readPos = READ_REGISTER_USHORT(hda.RegBase + CORBRP) & 0xFF;
        boolean wrote = false;
        while (!hda.Waiting.isEmpty()) {
            HdaExtension.VerbRequest request = hda.Waiting.peekFirst();
            int free = (readPos - hda.CorbWritePos - 1 + RING_ENTRIES) % RING_ENTRIES;
            if (free < request.Verbs.length) {
                break;
            }
            for (int verb : request.Verbs) {
                hda.CorbWritePos = (hda.CorbWritePos + 1) % RING_ENTRIES;
                hda.Corb[hda.CorbWritePos] = verb;
            }
            request.Sent = request.Verbs.length;
            request.AgeTicks = 0;
            hda.Waiting.removeFirst();
            hda.InFlight.addLast(request);
            wrote = true;
        }
        if (wrote) {
            WRITE_REGISTER_USHORT(hda.RegBase + CORBWP, (short) hda.CorbWritePos);
        }
    }

    /** Copies the responses into the IOCTL's output buffer and sets its status. */
    private Irp FinishRequest(HdaExtension.VerbRequest request, int status) {
        Irp irp = request.Irp;
        byte[] out = irp.AssociatedIrp.SystemBuffer;
        for (int i = 0; i < request.Received; i++) {
            int r = request.Responses[i];
            out[4 * i] = (byte) r;
            out[4 * i + 1] = (byte) (r >> 8);
            out[4 * i + 2] = (byte) (r >> 16);
            out[4 * i + 3] = (byte) (r >> 24);
        }
        irp.IoStatus.Status = status;
        irp.IoStatus.Information = 4L * request.Received;
        return irp;
    }

    private void CompleteAll(HdaExtension hda, List<Irp> irps) {
        for (Irp irp : irps) {
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(hda.RemoveLock, irp);
        }
    }

    // ------------------------------------------------------------------ interrupt

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        HdaExtension hda = (HdaExtension) fdo.DeviceExtension;
        int intsts = READ_REGISTER_ULONG(hda.RegBase + INTSTS);
        if ((intsts & INTSTS_GIS) == 0) {
            return false;
        }
        if ((intsts & INTSTS_CIS) != 0) {
            int rirbsts = READ_REGISTER_UCHAR(hda.RegBase + RIRBSTS) & 0xFF;
            int corbsts = READ_REGISTER_UCHAR(hda.RegBase + CORBSTS) & 0xFF;
            if (corbsts != 0) {
                WRITE_REGISTER_UCHAR(hda.RegBase + CORBSTS, (byte) corbsts);
                hda.CorbStatus |= corbsts;
            }
            if (rirbsts != 0) {
                WRITE_REGISTER_UCHAR(hda.RegBase + RIRBSTS, (byte) rirbsts);
                hda.RirbStatus |= rirbsts;
                if ((rirbsts & RIRBSTS_RINTFL) != 0) {
                    IoRequestDpc(fdo, null, null);
                }
            }
        }
        return true;
    }

    /** What the DPC takes of the ISR's latch. */
    static final class Latch {
        HdaExtension Hda;
        int RirbStatus;
        int CorbStatus;
    }

    @Role(KSynchronizeRoutine.class)
    boolean TakeLatch(Object SynchronizeContext) {
        Latch latch = (Latch) SynchronizeContext;
        latch.RirbStatus = latch.Hda.RirbStatus;
        latch.CorbStatus = latch.Hda.CorbStatus;
        latch.Hda.RirbStatus = 0;
        latch.Hda.CorbStatus = 0;
        return true;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        HdaExtension hda = (HdaExtension) DeviceObject.DeviceExtension;
        Latch latch = new Latch();
        latch.Hda = hda;
        KeSynchronizeExecution(hda.Interrupt, this::TakeLatch, latch);
        List<Irp> done = new ArrayList<>();
        boolean unsolicited = false;
        KeAcquireSpinLockAtDpcLevel(hda.RingLock);
        int writePos = READ_REGISTER_USHORT(hda.RegBase + RIRBWP) & 0xFF;
        while (hda.RirbReadPos != writePos) {
            hda.RirbReadPos = (hda.RirbReadPos + 1) % RING_ENTRIES;
            long entry = hda.Rirb[hda.RirbReadPos];
            int response = (int) entry;
            if ((entry & RESPONSE_UNSOLICITED) != 0) {
                HdaExtension.UnsolicitedState state = hda.Unsolicited;
                if (state.Count < state.Pending.length) {
                    state.Pending[state.Count++] = response;
                    unsolicited = true;
                }
                continue;
            }
            HdaExtension.VerbRequest head = hda.InFlight.peekFirst();
            if (head == null) {
                continue;
            }
            head.Responses[head.Received++] = response;
            if (head.Received == head.Sent) {
                hda.InFlight.removeFirst();
                done.add(FinishRequest(head, STATUS_SUCCESS));
            }
        }
        if ((latch.CorbStatus & CORBSTS_MEI) != 0) {
            // the controller could not fetch a verb: everything in flight is lost
            while (!hda.InFlight.isEmpty()) {
                FinishRequest(hda.InFlight.removeFirst(), STATUS_DEVICE_DATA_ERROR);
            }
        }
        PumpCorb(hda);
        KeReleaseSpinLockFromDpcLevel(hda.RingLock);
        if (unsolicited) {
            KeInsertQueueDpc(hda.UnsolicitedDpc, null, null);
        }
        CompleteAll(hda, done);
    } // expect: DpcIrpNotCompleted

    @Role(KDeferredRoutine.class)
    void UnsolicitedDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        HdaExtension.UnsolicitedState state = (HdaExtension.UnsolicitedState) DeferredContext;
        HdaExtension hda = state.Owner;
        KeAcquireSpinLockAtDpcLevel(hda.RingLock);
        for (int i = 0; i < state.Count; i++) {
            // tag in the top six bits; jack sense is the only tag this bus enables
            if ((state.Pending[i] >>> 26) != 0) {
                state.JackEvents++;
            }
        }
        state.Count = 0;
        KeReleaseSpinLockFromDpcLevel(hda.RingLock);
    }

    @Role(IoTimerRoutine.class)
    void VerbTimer(DeviceObject DeviceObject, Object Context) {
        HdaExtension hda = (HdaExtension) Context;
        List<Irp> expired = new ArrayList<>();
        KeAcquireSpinLockAtDpcLevel(hda.RingLock);
        HdaExtension.VerbRequest head = hda.InFlight.peekFirst();
        if (head != null && ++head.AgeTicks > VERB_TIMEOUT_TICKS) {
            hda.InFlight.removeFirst();
            expired.add(FinishRequest(head, STATUS_IO_TIMEOUT));
        }
        KeReleaseSpinLockFromDpcLevel(hda.RingLock);
        CompleteAll(hda, expired);
    }

    // ------------------------------------------------------------------ PnP

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        HdaExtension hda = (HdaExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE: {
                int status = ForwardAndWait(hda, Irp);
                if (NT_SUCCESS(status)) {
                    status = StartController(hda,
                            IoGetCurrentIrpStackLocation(Irp).Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
            case IRP_MN_STOP_DEVICE: {
                StopController(hda);
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(hda.LowerDevice, Irp);
            }
            case IRP_MN_REMOVE_DEVICE: {
                IoAcquireRemoveLock(hda.RemoveLock, Irp);
                IoReleaseRemoveLockAndWait(hda.RemoveLock, Irp);
                StopController(hda);
                IoSkipCurrentIrpStackLocation(Irp);
                int status = IoCallDriver(hda.LowerDevice, Irp);
                IoDetachDevice(hda.LowerDevice);
                ExFreePoolWithTag(hda.Unsolicited, TAG);
                IoDeleteDevice(DeviceObject);
                return status;
            }
            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(hda.LowerDevice, Irp);
        }
    }

    private int ForwardAndWait(HdaExtension hda, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::StartCompletion, event, true, true, true);
        int status = IoCallDriver(hda.LowerDevice, Irp);
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

    /** Takes the controller through reset and back; TRUE when CRST reads back each time. */
    private boolean ResetController(HdaExtension hda) {
        WRITE_REGISTER_ULONG(hda.RegBase + GCTL, READ_REGISTER_ULONG(hda.RegBase + GCTL) & ~GCTL_CRST);
        int i = 0;
        while ((READ_REGISTER_ULONG(hda.RegBase + GCTL) & GCTL_CRST) != 0) {
            if (++i > 100) {
                return false;
            }
            KeStallExecutionProcessor(10);
        }
        WRITE_REGISTER_ULONG(hda.RegBase + GCTL, READ_REGISTER_ULONG(hda.RegBase + GCTL) | GCTL_CRST);
        i = 0;
        while ((READ_REGISTER_ULONG(hda.RegBase + GCTL) & GCTL_CRST) == 0) {
            if (++i > 100) {
                return false;
            }
            KeStallExecutionProcessor(10);
        }
        KeStallExecutionProcessor(1000);
        return true;
    }

    /** Points the controller at the rings and resets both positions; DMA engines still stopped. */
    private boolean InitCorbRirb(HdaExtension hda) {
        long regs = hda.RegBase;
        hda.CorbLogical = 0x00500000L;
        hda.RirbLogical = 0x00501000L;
        WRITE_REGISTER_ULONG(regs + CORBLBASE, (int) hda.CorbLogical);
        WRITE_REGISTER_ULONG(regs + CORBUBASE, 0);
        WRITE_REGISTER_ULONG(regs + RIRBLBASE, (int) hda.RirbLogical);
        WRITE_REGISTER_ULONG(regs + RIRBUBASE, 0);
        WRITE_REGISTER_USHORT(regs + CORBWP, (short) 0);
        WRITE_REGISTER_USHORT(regs + CORBRP, (short) CORBRP_RESET);
        int i = 0;
        while ((READ_REGISTER_USHORT(regs + CORBRP) & CORBRP_RESET) == 0 && ++i < 10) {
            KeStallExecutionProcessor(100);
        }
        WRITE_REGISTER_USHORT(regs + CORBRP, (short) 0);
        i = 0;
        while ((READ_REGISTER_USHORT(regs + CORBRP) & CORBRP_RESET) != 0) {
            if (++i > 10) {
                return false;
            }
            KeStallExecutionProcessor(100);
        }
        WRITE_REGISTER_USHORT(regs + RIRBWP, (short) RIRBWP_RESET);
        WRITE_REGISTER_USHORT(regs + RINTCNT, (short) 1);
        hda.CorbWritePos = 0;
        hda.RirbReadPos = 0;
        hda.RirbStatus = 0;
        hda.CorbStatus = 0;
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean StartRings(Object SynchronizeContext) {
        HdaExtension hda = (HdaExtension) SynchronizeContext;
        WRITE_REGISTER_UCHAR(hda.RegBase + CORBCTL, (byte) (CORBCTL_RUN | CORBCTL_MEIE));
        WRITE_REGISTER_UCHAR(hda.RegBase + RIRBCTL, (byte) (RIRBCTL_DMAEN | RIRBCTL_RINTCTL));
        WRITE_REGISTER_ULONG(hda.RegBase + INTCTL, INTCTL_GIE | INTCTL_CIE);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean StopRings(Object SynchronizeContext) {
        HdaExtension hda = (HdaExtension) SynchronizeContext;
        WRITE_REGISTER_ULONG(hda.RegBase + INTCTL, 0);
        WRITE_REGISTER_UCHAR(hda.RegBase + RIRBCTL, (byte) 0);
        WRITE_REGISTER_UCHAR(hda.RegBase + CORBCTL, (byte) 0);
        return true;
    }

    private int StartController(HdaExtension hda, CmResourceList resources) {
        int vector = -1;
        int level = 0;
        long affinity = 0;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypeMemory && hda.RegBase == 0) {
                hda.RegBase = MmMapIoSpace(d.u.Memory.Start, d.u.Memory.Length, MmNonCached);
                hda.RegLength = d.u.Memory.Length;
            } else if (d.Type == CmResourceTypeInterrupt) {
                vector = d.u.Interrupt.Vector;
                level = d.u.Interrupt.Level;
                affinity = d.u.Interrupt.Affinity;
            }
        }
        if (hda.RegBase == 0 || vector < 0) {
            return STATUS_DEVICE_NOT_READY;
        }
        if (!ResetController(hda) || !InitCorbRirb(hda)) {
            return STATUS_DEVICE_NOT_READY;
        }
        hda.CodecMask = READ_REGISTER_USHORT(hda.RegBase + STATESTS) & 0x7FFF;
        DeviceDescription description = new DeviceDescription();
        description.Version = DEVICE_DESCRIPTION_VERSION2;
        description.Master = true;
        description.Dma64BitAddresses = true;
        description.InterfaceType = PCIBus;
        description.MaximumLength = PAGE_SIZE * 2;
        Out<Integer> mapRegisters = new Out<>();
        hda.Adapter = IoGetDmaAdapter(hda.Pdo, description, mapRegisters);
        if (hda.Adapter == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptService, hda.Self, null, vector, level, level,
                LevelSensitive, true, affinity, false);
        if (!NT_SUCCESS(status)) {
            hda.Adapter.DmaOperations.PutDmaAdapter(hda.Adapter);
            hda.Adapter = null;
            return status;
        }
        hda.Interrupt = interrupt.value;
        KeSynchronizeExecution(hda.Interrupt, this::StartRings, hda);
        IoStartTimer(hda.Self);
        return STATUS_SUCCESS;
    }

    private void StopController(HdaExtension hda) {
        IoStopTimer(hda.Self);
        if (hda.Interrupt != null) {
            KeSynchronizeExecution(hda.Interrupt, this::StopRings, hda);
            IoDisconnectInterrupt(hda.Interrupt);
            hda.Interrupt = null;
        }
        List<Irp> failed = new ArrayList<>();
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(hda.RingLock, oldIrql);
        while (!hda.InFlight.isEmpty()) {
            failed.add(FinishRequest(hda.InFlight.removeFirst(), STATUS_DELETE_PENDING));
        }
        while (!hda.Waiting.isEmpty()) {
            failed.add(FinishRequest(hda.Waiting.removeFirst(), STATUS_DELETE_PENDING));
        }
        KeReleaseSpinLock(hda.RingLock, oldIrql.value);
        CompleteAll(hda, failed);
        if (hda.Adapter != null) {
            hda.Adapter.DmaOperations.PutDmaAdapter(hda.Adapter);
            hda.Adapter = null;
        }
        if (hda.RegBase != 0) {
            MmUnmapIoSpace(hda.RegBase, hda.RegLength);
            hda.RegBase = 0;
        }
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }
}
