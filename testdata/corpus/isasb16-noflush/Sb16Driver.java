package corpus.isasb16noflush;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * Wave driver for an ISA Sound Blaster 16 using packet-based system DMA on its 8-bit channel: the
 * 8237 is a subordinate DMA controller, so the adapter comes from IoGetDmaAdapter with Master =
 * FALSE and MapTransfer programs the system controller. A write plays, a read records. StartIo
 * flushes the buffer, allocates the adapter channel; the AdapterControl routine maps the first
 * piece and starts the DSP in single-cycle mode. Each piece ends with an interrupt that the ISR
 * acknowledges at the DSP; the DpcForIsr flushes, maps and starts the next piece, or frees the
 * channel and completes the IRP. An IoTimer resets a DSP that stopped interrupting; the DPC
 * retries the piece, then logs the error and fails the request.
 *
 * Re-expressed from: MicrosoftDocs/windows-driver-docs/windows-driver-docs-pr/kernel/using-packet-based-system-dma.md (with splitting-dma-transfer-requests.md; DSP commands per the Creative SB16 programming guide) (structure and facts, not code).
 */
@HardwareId("ISAPNP\\CTL0031")
public final class Sb16Driver {
    // DSP and mixer ports relative to the base (0x220)
    static final int MIXER_ADDRESS = 0x4;
    static final int MIXER_DATA = 0x5;
    static final int DSP_RESET = 0x6;
    static final int DSP_READ = 0xA;
    static final int DSP_WRITE = 0xC;
    static final int DSP_WRITE_STATUS = 0xC;
    static final int DSP_READ_STATUS = 0xE;
    static final int DSP_ACK_8BIT = 0xE;
    static final int DSP_ACK_16BIT = 0xF;

    static final int MIXER_IRQ_STATUS = 0x82;
    static final int IRQ_8BIT_DMA = 0x01;

    static final int DSP_CMD_SET_OUTPUT_RATE = 0x41;
    static final int DSP_CMD_SET_INPUT_RATE = 0x42;
    static final int DSP_CMD_8BIT_OUTPUT = 0xC0;
    static final int DSP_CMD_8BIT_INPUT = 0xC8;
    static final int DSP_MODE_MONO_UNSIGNED = 0x00;
    static final int DSP_CMD_SPEAKER_ON = 0xD1;
    static final int DSP_CMD_SPEAKER_OFF = 0xD3;
    static final int DSP_CMD_HALT_8BIT = 0xD0;
    static final int DSP_CMD_GET_VERSION = 0xE1;
    static final int DSP_READY = 0xAA;

    static final int Isa = 1;
    static final int MAX_PIECE = 0x10000;
    static final int MAX_RETRIES = 2;
    static final int TAG = 0x36314253;
    static final int IOCTL_WAVE_SET_SAMPLE_RATE = CTL_CODE(FILE_DEVICE_UNKNOWN, 0x810, METHOD_BUFFERED,
            FILE_ANY_ACCESS);

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        DriverObject.DriverStartIo = this::StartIo;
        DriverObject.DriverUnload = this::Unload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::DispatchCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::DispatchCreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::DispatchReadWrite;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = this::DispatchReadWrite;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = this::DispatchDeviceControl;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::DispatchPnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject PhysicalDeviceObject) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, Sb16Extension.class, null, FILE_DEVICE_UNKNOWN, 0, true, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        Sb16Extension ext = (Sb16Extension) fdo.DeviceExtension;
        ext.Self = fdo;
        ext.Pdo = PhysicalDeviceObject;
        IoInitializeRemoveLock(ext.RemoveLock, TAG, 0, 0);
        ext.LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (ext.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_UNSUCCESSFUL;
        }
        IoInitializeDpcRequest(fdo, this::DpcForIsr);
        IoInitializeTimer(fdo, this::Watchdog, ext);
        // StartIo may fail a request and start the next one itself
        IoSetStartIoAttributes(fdo, true, false);
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

    @Role(DriverDispatch.class)
    int DispatchDeviceControl(DeviceObject DeviceObject, Irp Irp) {
        Sb16Extension ext = (Sb16Extension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        if (stack.Parameters.DeviceIoControl.IoControlCode != IOCTL_WAVE_SET_SAMPLE_RATE) {
            status = STATUS_INVALID_DEVICE_REQUEST;
        } else if (stack.Parameters.DeviceIoControl.InputBufferLength < 4) {
            status = STATUS_BUFFER_TOO_SMALL;
        } else {
            byte[] in = Irp.AssociatedIrp.SystemBuffer;
            int rate = (in[0] & 0xFF) | ((in[1] & 0xFF) << 8) | ((in[2] & 0xFF) << 16) | ((in[3] & 0xFF) << 24);
            if (rate < 5000 || rate > 44100) {
                status = STATUS_INVALID_PARAMETER;
            } else {
                ext.SampleRate = rate;
                status = STATUS_SUCCESS;
            }
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    @Role(DriverDispatch.class)
    int DispatchReadWrite(DeviceObject DeviceObject, Irp Irp) {
        Sb16Extension ext = (Sb16Extension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int length = stack.MajorFunction == IRP_MJ_WRITE ? stack.Parameters.Write.Length : stack.Parameters.Read.Length;
        int status = STATUS_SUCCESS;
        if (ext.Interrupt == null) {
            status = STATUS_DEVICE_NOT_READY;
        } else if (length == 0 || Irp.MdlAddress == null) {
            status = STATUS_INVALID_PARAMETER;
        }
        if (NT_SUCCESS(status)) {
            status = IoAcquireRemoveLock(ext.RemoveLock, Irp);
        }
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoMarkIrpPending(Irp);
        IoStartPacket(DeviceObject, Irp, null, null);
        return STATUS_PENDING;
    }

    // ------------------------------------------------------------------ DSP access

    /** Writes one byte to the DSP once it accepts data. */
    private boolean DspWrite(long port, int value) {
        for (int i = 0; i < 1000; i++) {
            if ((READ_PORT_UCHAR(port + DSP_WRITE_STATUS) & 0x80) == 0) {
                WRITE_PORT_UCHAR(port + DSP_WRITE, (byte) value);
                return true;
            }
            KeStallExecutionProcessor(1);
        }
        return false;
    }

    /** Reads one byte from the DSP, or -1 when none arrives. */
    private int DspRead(long port) {
        for (int i = 0; i < 1000; i++) {
            if ((READ_PORT_UCHAR(port + DSP_READ_STATUS) & 0x80) != 0) {
                return READ_PORT_UCHAR(port + DSP_READ) & 0xFF;
            }
            KeStallExecutionProcessor(1);
        }
        return -1;
    }

    /** Pulses the DSP reset line and waits for the ready byte. */
    private boolean DspReset(long port) {
        WRITE_PORT_UCHAR(port + DSP_RESET, (byte) 1);
        KeStallExecutionProcessor(3);
        WRITE_PORT_UCHAR(port + DSP_RESET, (byte) 0);
        for (int i = 0; i < 100; i++) {
            if (DspRead(port) == DSP_READY) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ transfer

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Sb16Extension ext = (Sb16Extension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        ext.Playback = stack.MajorFunction == IRP_MJ_WRITE;
        ext.TransferMdl = Irp.MdlAddress;
        ext.TransferVa = MmGetMdlVirtualAddress(Irp.MdlAddress);
        ext.TotalLength = ext.Playback ? stack.Parameters.Write.Length : stack.Parameters.Read.Length;
        ext.BytesDone = 0;
        ext.RetryCount = 0;
        KeFlushIoBuffers(Irp.MdlAddress, !ext.Playback, true);
        int status = ext.Adapter.DmaOperations.AllocateAdapterChannel(ext.Adapter, DeviceObject,
                ext.MapRegisterCount, this::AdapterControl, ext);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoStartNextPacket(DeviceObject, false);
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(ext.RemoveLock, Irp);
        }
    }

    @Role(DriverControl.class)
    int AdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        Sb16Extension ext = (Sb16Extension) Context;
        ext.MapRegisterBase = MapRegisterBase;
        StartPiece(ext);
        return KeepObject;
    }

    /** Maps the next piece through the system DMA controller and starts the DSP on it. DISPATCH_LEVEL. */
    private void StartPiece(Sb16Extension ext) {
        int limit = Math.min(MAX_PIECE, ext.MapRegisterCount * PAGE_SIZE);
        Out<Integer> length = new Out<>(Math.min(ext.TotalLength - ext.BytesDone, limit));
        ext.Adapter.DmaOperations.MapTransfer(ext.Adapter, ext.TransferMdl, ext.MapRegisterBase,
                ext.TransferVa + ext.BytesDone, length, ext.Playback);
        ext.ChunkLength = length.value;
        DspProgram program = new DspProgram();
        program.Extension = ext;
        program.Length = length.value;
        program.Playback = ext.Playback;
        program.Rate = ext.SampleRate;
        KeSynchronizeExecution(ext.Interrupt, this::StartDsp, program);
    }

    /** What StartDsp needs, handed into the SynchCritSection. */
    static final class DspProgram {
        Sb16Extension Extension;
        int Length;
        boolean Playback;
        int Rate;
    }

    @Role(KSynchronizeRoutine.class)
    boolean StartDsp(Object SynchronizeContext) {
        DspProgram program = (DspProgram) SynchronizeContext;
        Sb16Extension ext = program.Extension;
        long port = ext.PortBase;
        DspWrite(port, program.Playback ? DSP_CMD_SET_OUTPUT_RATE : DSP_CMD_SET_INPUT_RATE);
        DspWrite(port, program.Rate >> 8);
        DspWrite(port, program.Rate & 0xFF);
        DspWrite(port, program.Playback ? DSP_CMD_8BIT_OUTPUT : DSP_CMD_8BIT_INPUT);
        DspWrite(port, DSP_MODE_MONO_UNSIGNED);
        DspWrite(port, (program.Length - 1) & 0xFF);
        DspWrite(port, (program.Length - 1) >> 8);
        ext.DspBusy = true;
        ext.ChunkDone = false;
        ext.TimedOut = false;
        ext.IdleTicks = 0;
        return true;
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        Sb16Extension ext = (Sb16Extension) fdo.DeviceExtension;
        long port = ext.PortBase;
        WRITE_PORT_UCHAR(port + MIXER_ADDRESS, (byte) MIXER_IRQ_STATUS);
        int source = READ_PORT_UCHAR(port + MIXER_DATA) & 0xFF;
        if ((source & IRQ_8BIT_DMA) == 0) {
            return false;
        }
        READ_PORT_UCHAR(port + DSP_ACK_8BIT);
        ext.DspBusy = false;
        ext.ChunkDone = true;
        IoRequestDpc(fdo, fdo.CurrentIrp, null);
        return true;
    }

    /** What the DPC learns from the ISR. */
    static final class PieceStatus {
        Sb16Extension Extension;
        boolean Done;
        boolean TimedOut;
    }

    @Role(KSynchronizeRoutine.class)
    boolean TakePieceStatus(Object SynchronizeContext) {
        PieceStatus status = (PieceStatus) SynchronizeContext;
        Sb16Extension ext = status.Extension;
        status.Done = ext.ChunkDone;
        status.TimedOut = ext.TimedOut;
        ext.ChunkDone = false;
        ext.TimedOut = false;
        return true;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Sb16Extension ext = (Sb16Extension) DeviceObject.DeviceExtension;
        Irp irp = DeviceObject.CurrentIrp;
        if (irp == null) {
            return;
        }
        PieceStatus piece = new PieceStatus();
        piece.Extension = ext;
        KeSynchronizeExecution(ext.Interrupt, this::TakePieceStatus, piece);
        if (!piece.Done && !piece.TimedOut) {
            return;
        }
        int status = STATUS_SUCCESS;
        if (piece.TimedOut) {
            // the DSP never finished the piece: nothing to flush, map it again
            if (ext.RetryCount++ < MAX_RETRIES) {
                StartPiece(ext); // expect: DmaFlushMissing
                return;
            }
            status = STATUS_IO_TIMEOUT;
            LogTimeout(ext);
        } else {
            ext.Adapter.DmaOperations.FlushAdapterBuffers(ext.Adapter, ext.TransferMdl, ext.MapRegisterBase,
                    ext.TransferVa + ext.BytesDone, ext.ChunkLength, ext.Playback);
            ext.BytesDone += ext.ChunkLength;
            if (ext.BytesDone < ext.TotalLength) {
                StartPiece(ext);
                return;
            }
        }
        ext.Adapter.DmaOperations.FreeAdapterChannel(ext.Adapter); // expect: DmaFlushMissing
        irp.IoStatus.Status = status;
        irp.IoStatus.Information = ext.BytesDone;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(irp, IO_SOUND_INCREMENT);
        IoReleaseRemoveLock(ext.RemoveLock, irp);
    }

    static final int IO_SOUND_INCREMENT = 8;

    private void LogTimeout(Sb16Extension ext) {
        IoErrorLogPacket entry = IoAllocateErrorLogEntry(ext.Self, 32);
        if (entry == null) {
            return;
        }
        entry.ErrorCode = IO_ERR_TIMEOUT;
        entry.FinalStatus = STATUS_IO_TIMEOUT;
        entry.RetryCount = ext.RetryCount;
        entry.DeviceOffset = ext.BytesDone;
        IoWriteErrorLogEntry(entry);
    }

    @Role(IoTimerRoutine.class)
    void Watchdog(DeviceObject DeviceObject, Object Context) {
        Sb16Extension ext = (Sb16Extension) Context;
        if (ext.Interrupt != null) {
            KeSynchronizeExecution(ext.Interrupt, this::CheckStalled, DeviceObject);
        }
    }

    @Role(KSynchronizeRoutine.class)
    boolean CheckStalled(Object SynchronizeContext) {
        DeviceObject fdo = (DeviceObject) SynchronizeContext;
        Sb16Extension ext = (Sb16Extension) fdo.DeviceExtension;
        if (!ext.DspBusy || ++ext.IdleTicks < 2) {
            return false;
        }
        DspWrite(ext.PortBase, DSP_CMD_HALT_8BIT);
        DspReset(ext.PortBase);
        ext.DspBusy = false;
        ext.TimedOut = true;
        IoRequestDpc(fdo, fdo.CurrentIrp, null);
        return true;
    }

    // ------------------------------------------------------------------ PnP

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        Sb16Extension ext = (Sb16Extension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE: {
                int status = ForwardAndWait(ext, Irp);
                if (NT_SUCCESS(status)) {
                    status = StartDevice(ext,
                            IoGetCurrentIrpStackLocation(Irp).Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
            case IRP_MN_STOP_DEVICE: {
                StopDevice(ext);
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(ext.LowerDevice, Irp);
            }
            case IRP_MN_REMOVE_DEVICE: {
                IoAcquireRemoveLock(ext.RemoveLock, Irp);
                IoReleaseRemoveLockAndWait(ext.RemoveLock, Irp);
                StopDevice(ext);
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

    private int ForwardAndWait(Sb16Extension ext, Irp Irp) {
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

    private int StartDevice(Sb16Extension ext, CmResourceList resources) {
        int vector = -1;
        int level = 0;
        long affinity = 0;
        ext.DmaChannel = -1;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypePort && ext.PortBase == 0) {
                ext.PortBase = d.u.Port.Start;
            } else if (d.Type == CmResourceTypeInterrupt) {
                vector = d.u.Interrupt.Vector;
                level = d.u.Interrupt.Level;
                affinity = d.u.Interrupt.Affinity;
            } else if (d.Type == CmResourceTypeDma && ext.DmaChannel < 0) {
                ext.DmaChannel = d.u.Dma.Channel;
            }
        }
        if (ext.PortBase == 0 || vector < 0 || ext.DmaChannel < 0) {
            return STATUS_DEVICE_NOT_READY;
        }
        if (!DspReset(ext.PortBase)) {
            return STATUS_DEVICE_NOT_READY;
        }
        DspWrite(ext.PortBase, DSP_CMD_GET_VERSION);
        ext.DspVersion = (DspRead(ext.PortBase) << 8) | DspRead(ext.PortBase);
        if (ext.DspVersion < 0x0400) {
            return STATUS_NOT_SUPPORTED;
        }
        DeviceDescription description = new DeviceDescription();
        description.Version = DEVICE_DESCRIPTION_VERSION;
        description.Master = false;
        description.ScatterGather = false;
        description.InterfaceType = Isa;
        description.MaximumLength = MAX_PIECE;
        Out<Integer> mapRegisters = new Out<>();
        ext.Adapter = IoGetDmaAdapter(ext.Pdo, description, mapRegisters);
        if (ext.Adapter == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        ext.MapRegisterCount = mapRegisters.value;
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptService, ext.Self, null, vector, level, level,
                Latched, false, affinity, false);
        if (!NT_SUCCESS(status)) {
            ext.Adapter.DmaOperations.PutDmaAdapter(ext.Adapter);
            ext.Adapter = null;
            return status;
        }
        ext.Interrupt = interrupt.value;
        DspWrite(ext.PortBase, DSP_CMD_SPEAKER_ON);
        IoStartTimer(ext.Self);
        return STATUS_SUCCESS;
    }

    @Role(KSynchronizeRoutine.class)
    boolean Quiesce(Object SynchronizeContext) {
        Sb16Extension ext = (Sb16Extension) SynchronizeContext;
        DspWrite(ext.PortBase, DSP_CMD_HALT_8BIT);
        DspWrite(ext.PortBase, DSP_CMD_SPEAKER_OFF);
        ext.DspBusy = false;
        return true;
    }

    private void StopDevice(Sb16Extension ext) {
        IoStopTimer(ext.Self);
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
