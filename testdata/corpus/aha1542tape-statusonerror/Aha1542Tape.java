package corpus.aha1542tapestatusonerror;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * Driver for a SCSI tape drive behind an Adaptec AHA-1542 ISA bus-master host adapter. The adapter
 * masters the ISA bus in cascade mode with 24-bit addresses, so transfers go through packet-based
 * DMA with map registers: a read or write is split into pieces no larger than the map registers
 * cover, each piece one fixed-block READ(6)/WRITE(6) in a command control block handed to the
 * adapter through an outgoing mailbox and the START SCSI command. Rewind goes the same way without
 * data. The ISR reads the interrupt flags, resets them, takes the finished CCB from the incoming
 * mailboxes and queues the DpcForIsr; the DPC flushes the piece, handles check conditions with the
 * automatic sense data (a filemark ends a read short), starts the next piece or completes. An
 * IoTimer resets the SCSI bus when a command hangs.
 *
 * Re-expressed from: torvalds/linux/drivers/scsi/aha1542.c (aha1542_intr_handle, aha1542_queuecommand, setup_mailboxes, makecode) (structure and facts, not code).
 */
@HardwareId("ISAPNP\\ADP1542")
public final class Aha1542Tape {
    // host adapter ports
    static final int STATUS = 0;
    static final int CONTROL = 0;
    static final int DATA = 1;
    static final int INTRFLAGS = 2;
    static final int CTRL_HRST = 0x80;
    static final int CTRL_SRST = 0x40;
    static final int CTRL_IRST = 0x20;
    static final int CTRL_SCRST = 0x10;
    static final int STAT_STST = 0x80;
    static final int STAT_DIAGF = 0x40;
    static final int STAT_INIT = 0x20;
    static final int STAT_IDLE = 0x10;
    static final int STAT_CDF = 0x08;
    static final int STAT_DF = 0x04;
    static final int INTR_ANY = 0x80;
    static final int INTR_SCRD = 0x08;
    static final int INTR_HACC = 0x04;
    static final int INTR_MBIF = 0x01;
    static final int CMD_MBINIT = 0x01;
    static final int CMD_START_SCSI = 0x02;

    static final int MAILBOXES = 8;
    static final int CCB_OP_INITIATOR = 0x00;
    static final int CCB_DIR_IN = 0x08;
    static final int CCB_DIR_OUT = 0x10;
    static final int MBI_OK = 1;
    static final int MBI_ERROR = 4;
    static final int HOST_SELECTION_TIMEOUT = 0x11;
    static final int TARGET_CHECK_CONDITION = 2;
    static final int SENSE_NO_SENSE = 0;
    static final int SENSE_BLANK_CHECK = 8;
    static final int SENSE_FILEMARK = 0x80;

    static final int SCSIOP_REWIND = 0x01;
    static final int SCSIOP_READ6 = 0x08;
    static final int SCSIOP_WRITE6 = 0x0A;

    static final int OP_READ = 0;
    static final int OP_WRITE = 1;
    static final int OP_REWIND = 2;

    static final int BLOCK_SIZE = 512;
    static final int MAX_PIECE = 0xF000;
    static final int MAX_RETRIES = 2;
    static final int COMMAND_TIMEOUT_TICKS = 120;
    static final int Isa = 1;
    static final int TAG = 0x45504154;
    static final int IOCTL_TAPE_REWIND = CTL_CODE(0x1F, 0x0401, METHOD_BUFFERED, FILE_ANY_ACCESS);

    /** A command control block in adapter-visible memory. */
    static final class Ccb {
        int Op;
        int IdLun;
        final byte[] Cdb = new byte[6];
        int DataLength;
        long DataPointer;
        int HostStatus;
        int TargetStatus;
        final byte[] Sense = new byte[16];
    }

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
        int status = IoCreateDevice(DriverObject, TapeExtension.class, null, 0x1F, 0, true, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        TapeExtension tape = (TapeExtension) fdo.DeviceExtension;
        tape.Self = fdo;
        tape.Pdo = PhysicalDeviceObject;
        tape.TargetId = 4;
        for (int i = 0; i < MAILBOXES; i++) {
            tape.Ccbs[i] = new Ccb();
        }
        IoInitializeRemoveLock(tape.RemoveLock, TAG, 0, 0);
        tape.LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (tape.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_UNSUCCESSFUL;
        }
        IoInitializeDpcRequest(fdo, this::DpcForIsr);
        IoInitializeTimer(fdo, this::CommandTimer, tape);
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

    /** Queues a validated request for StartIo, or completes it with the error. */
    private int QueueOrFail(DeviceObject DeviceObject, TapeExtension tape, Irp Irp, int status) {
        if (NT_SUCCESS(status)) {
            status = IoAcquireRemoveLock(tape.RemoveLock, Irp);
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

    @Role(DriverDispatch.class)
    int DispatchReadWrite(DeviceObject DeviceObject, Irp Irp) {
        TapeExtension tape = (TapeExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int length = stack.MajorFunction == IRP_MJ_WRITE ? stack.Parameters.Write.Length : stack.Parameters.Read.Length;
        int status = STATUS_SUCCESS;
        if (tape.Interrupt == null) {
            status = STATUS_DEVICE_NOT_READY;
        } else if (length == 0 || length % BLOCK_SIZE != 0) {
            status = STATUS_INVALID_PARAMETER;
        }
        return QueueOrFail(DeviceObject, tape, Irp, status);
    }

    @Role(DriverDispatch.class)
    int DispatchDeviceControl(DeviceObject DeviceObject, Irp Irp) {
        TapeExtension tape = (TapeExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status = STATUS_SUCCESS;
        if (stack.Parameters.DeviceIoControl.IoControlCode != IOCTL_TAPE_REWIND) {
            status = STATUS_INVALID_DEVICE_REQUEST;
        } else if (tape.Interrupt == null) {
            status = STATUS_DEVICE_NOT_READY;
        }
        return QueueOrFail(DeviceObject, tape, Irp, status);
    }

    // ------------------------------------------------------------------ StartIo

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        TapeExtension tape = (TapeExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        tape.RetryCount = 0;
        tape.BytesDone = 0;
        tape.ChannelHeld = false;
        if (stack.MajorFunction == IRP_MJ_DEVICE_CONTROL) {
            tape.Operation = OP_REWIND;
            tape.TotalLength = 0;
            tape.PieceLength = 0;
            SendCommand(tape, 0L);
            return;
        }
        tape.WriteToTape = stack.MajorFunction == IRP_MJ_WRITE;
        tape.Operation = tape.WriteToTape ? OP_WRITE : OP_READ;
        tape.TransferMdl = Irp.MdlAddress;
        tape.TransferVa = MmGetMdlVirtualAddress(Irp.MdlAddress);
        tape.TotalLength = tape.WriteToTape ? stack.Parameters.Write.Length : stack.Parameters.Read.Length;
        tape.Adapter.DmaOperations.AllocateAdapterChannel(tape.Adapter, DeviceObject, tape.MapRegisterCount,
                this::AdapterControl, tape);
    }

    @Role(DriverControl.class)
    int AdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        TapeExtension tape = (TapeExtension) Context;
        tape.MapRegisterBase = MapRegisterBase;
        tape.ChannelHeld = true;
        StartPiece(tape);
        return KeepObject;
    }

    /** Maps the next piece of the buffer and sends its READ(6)/WRITE(6). DISPATCH_LEVEL. */
    private void StartPiece(TapeExtension tape) {
        int limit = Math.min(MAX_PIECE, tape.MapRegisterCount * PAGE_SIZE);
        Out<Integer> length = new Out<>(Math.min(tape.TotalLength - tape.BytesDone, limit));
        long logical = tape.Adapter.DmaOperations.MapTransfer(tape.Adapter, tape.TransferMdl, tape.MapRegisterBase,
                tape.TransferVa + tape.BytesDone, length, tape.WriteToTape);
        tape.PieceLength = length.value - length.value % BLOCK_SIZE;
        SendCommand(tape, logical);
    }

    /** What StartCcb needs. */
    static final class CommandRequest {
        TapeExtension Tape;
        long DataPointer;
    }

    private void SendCommand(TapeExtension tape, long dataPointer) {
        CommandRequest request = new CommandRequest();
        request.Tape = tape;
        request.DataPointer = dataPointer;
        KeSynchronizeExecution(tape.Interrupt, this::StartCcb, request);
    }

    /** Fills the next outgoing mailbox's CCB and tells the adapter to scan the mailboxes. DIRQL. */
    @Role(KSynchronizeRoutine.class)
    boolean StartCcb(Object SynchronizeContext) {
        CommandRequest request = (CommandRequest) SynchronizeContext;
        TapeExtension tape = request.Tape;
        int mbo = (tape.LastMailboxOut + 1) % MAILBOXES;
        Ccb ccb = tape.Ccbs[mbo];
        int blocks = tape.PieceLength / BLOCK_SIZE;
        ccb.Op = CCB_OP_INITIATOR;
        ccb.HostStatus = 0;
        ccb.TargetStatus = 0;
        if (tape.Operation == OP_REWIND) {
            ccb.IdLun = tape.TargetId << 5;
            ccb.Cdb[0] = (byte) SCSIOP_REWIND;
            ccb.Cdb[1] = 0;
            ccb.Cdb[2] = 0;
            ccb.Cdb[3] = 0;
            ccb.Cdb[4] = 0;
        } else {
            ccb.IdLun = (tape.TargetId << 5) | (tape.Operation == OP_WRITE ? CCB_DIR_OUT : CCB_DIR_IN);
            ccb.Cdb[0] = (byte) (tape.Operation == OP_WRITE ? SCSIOP_WRITE6 : SCSIOP_READ6);
            ccb.Cdb[1] = 1; // fixed-block mode
            ccb.Cdb[2] = (byte) (blocks >> 16);
            ccb.Cdb[3] = (byte) (blocks >> 8);
            ccb.Cdb[4] = (byte) blocks;
        }
        ccb.Cdb[5] = 0;
        ccb.DataLength = tape.PieceLength;
        ccb.DataPointer = request.DataPointer;
        tape.LastMailboxOut = mbo;
        tape.MailboxOutStatus[mbo] = 1;
        tape.CommandPending = true;
        tape.TimeoutTicks = 0;
        for (int i = 0; i < 100 && (READ_PORT_UCHAR(tape.Base + STATUS) & STAT_CDF) != 0; i++) {
            KeStallExecutionProcessor(1);
        }
        WRITE_PORT_UCHAR(tape.Base + DATA, (byte) CMD_START_SCSI);
        return true;
    }

    // ------------------------------------------------------------------ interrupt

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        TapeExtension tape = (TapeExtension) fdo.DeviceExtension;
        int flags = READ_PORT_UCHAR(tape.Base + INTRFLAGS) & 0xFF;
        if ((flags & INTR_ANY) == 0) {
            return false;
        }
        WRITE_PORT_UCHAR(tape.Base + CONTROL, (byte) CTRL_IRST);
        boolean finished = false;
        if ((flags & INTR_SCRD) != 0) {
            tape.BusReset = true;
            finished = tape.CommandPending;
        }
        if ((flags & INTR_MBIF) != 0) {
            finished |= TakeIncomingMail(tape);
        }
        if (finished) {
            tape.CommandPending = false;
            IoRequestDpc(fdo, fdo.CurrentIrp, null);
        }
        return true;
    }

    /** Takes the next full incoming mailbox, if any, into the latch. DIRQL. */
    private boolean TakeIncomingMail(TapeExtension tape) {
        int mbi = tape.LastMailboxIn;
        for (int n = 0; n < MAILBOXES; n++) {
            mbi = (mbi + 1) % MAILBOXES;
            int status = tape.MailboxInStatus[mbi];
            if (status != 0) {
                Ccb ccb = tape.Ccbs[mbi];
                tape.MailboxInStatus[mbi] = 0;
                tape.LastMailboxIn = mbi;
                tape.CompletedMailboxStatus = status;
                tape.HostStatus = ccb.HostStatus;
                tape.TargetStatus = ccb.TargetStatus;
                tape.SenseKey = ccb.TargetStatus == TARGET_CHECK_CONDITION ? ccb.Sense[2] & 0xFF : 0;
                return true;
            }
        }
        return false;
    }

    /** What the DPC takes of the latch. */
    static final class Completion {
        TapeExtension Tape;
        int MailboxStatus;
        int HostStatus;
        int TargetStatus;
        int SenseKey;
        boolean BusReset;
    }

    @Role(KSynchronizeRoutine.class)
    boolean TakeCompletion(Object SynchronizeContext) {
        Completion completion = (Completion) SynchronizeContext;
        TapeExtension tape = completion.Tape;
        completion.MailboxStatus = tape.CompletedMailboxStatus;
        completion.HostStatus = tape.HostStatus;
        completion.TargetStatus = tape.TargetStatus;
        completion.SenseKey = tape.SenseKey;
        completion.BusReset = tape.BusReset;
        tape.CompletedMailboxStatus = 0;
        tape.BusReset = false;
        return true;
    }

    /** Maps the adapter's and the drive's status to an NTSTATUS; a filemark or blank check ends a read short. */
    private int MapError(Completion completion, TapeExtension tape) {
        if (completion.BusReset) {
            return STATUS_IO_TIMEOUT;
        }
        if (completion.MailboxStatus == MBI_OK) {
            return STATUS_SUCCESS;
        }
        if (completion.HostStatus == HOST_SELECTION_TIMEOUT) {
            return STATUS_DEVICE_NOT_READY;
        }
        if (completion.TargetStatus == TARGET_CHECK_CONDITION) {
            if ((completion.SenseKey & SENSE_FILEMARK) != 0 || (completion.SenseKey & 0x0F) == SENSE_BLANK_CHECK) {
                return tape.Operation == OP_READ ? STATUS_SUCCESS : STATUS_DEVICE_DATA_ERROR;
            }
            if ((completion.SenseKey & 0x0F) == SENSE_NO_SENSE) {
                return STATUS_SUCCESS;
            }
        }
        return STATUS_DEVICE_DATA_ERROR;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        TapeExtension tape = (TapeExtension) DeviceObject.DeviceExtension;
        Irp irp = DeviceObject.CurrentIrp;
        if (irp == null) {
            return;
        }
        Completion completion = new Completion();
        completion.Tape = tape;
        KeSynchronizeExecution(tape.Interrupt, this::TakeCompletion, completion);
        if (tape.ChannelHeld) {
            tape.Adapter.DmaOperations.FlushAdapterBuffers(tape.Adapter, tape.TransferMdl, tape.MapRegisterBase,
                    tape.TransferVa + tape.BytesDone, tape.PieceLength, tape.WriteToTape);
        }
        int status = MapError(completion, tape);
        boolean endOfData = completion.MailboxStatus != MBI_OK && NT_SUCCESS(status) && tape.Operation == OP_READ;
        if (!NT_SUCCESS(status) && completion.BusReset && tape.RetryCount++ < MAX_RETRIES
                && tape.Operation != OP_WRITE) {
            if (tape.ChannelHeld) {
                StartPiece(tape);
            } else {
                SendCommand(tape, 0L);
            }
            return;
        }
        if (NT_SUCCESS(status) && !endOfData) {
            tape.BytesDone += tape.PieceLength;
            if (tape.BytesDone < tape.TotalLength) {
                StartPiece(tape);
                return;
            }
        }
        if (tape.ChannelHeld) {
            tape.Adapter.DmaOperations.FreeAdapterChannel(tape.Adapter);
            tape.ChannelHeld = false;
        }
        if (!NT_SUCCESS(status)) {
            irp.IoStatus.Status = status;
        }
        irp.IoStatus.Information = tape.BytesDone;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(irp, IO_NO_INCREMENT); // expect: IoStatusNotSet
        IoReleaseRemoveLock(tape.RemoveLock, irp);
    }

    // ------------------------------------------------------------------ timeout

    @Role(IoTimerRoutine.class)
    void CommandTimer(DeviceObject DeviceObject, Object Context) {
        TapeExtension tape = (TapeExtension) Context;
        if (tape.Interrupt != null) {
            KeSynchronizeExecution(tape.Interrupt, this::CheckHung, DeviceObject);
        }
    }

    @Role(KSynchronizeRoutine.class)
    boolean CheckHung(Object SynchronizeContext) {
        DeviceObject fdo = (DeviceObject) SynchronizeContext;
        TapeExtension tape = (TapeExtension) fdo.DeviceExtension;
        if (!tape.CommandPending || ++tape.TimeoutTicks < COMMAND_TIMEOUT_TICKS) {
            return false;
        }
        // reset the SCSI bus; the adapter reports SCRD, which ends the command in the ISR
        WRITE_PORT_UCHAR(tape.Base + CONTROL, (byte) CTRL_SCRST);
        return true;
    }

    // ------------------------------------------------------------------ PnP

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        TapeExtension tape = (TapeExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE: {
                int status = ForwardAndWait(tape, Irp);
                if (NT_SUCCESS(status)) {
                    status = StartAdapter(tape,
                            IoGetCurrentIrpStackLocation(Irp).Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
            case IRP_MN_STOP_DEVICE: {
                StopAdapter(tape);
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(tape.LowerDevice, Irp);
            }
            case IRP_MN_REMOVE_DEVICE: {
                IoAcquireRemoveLock(tape.RemoveLock, Irp);
                IoReleaseRemoveLockAndWait(tape.RemoveLock, Irp);
                StopAdapter(tape);
                IoSkipCurrentIrpStackLocation(Irp);
                int status = IoCallDriver(tape.LowerDevice, Irp);
                IoDetachDevice(tape.LowerDevice);
                IoDeleteDevice(DeviceObject);
                return status;
            }
            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(tape.LowerDevice, Irp);
        }
    }

    private int ForwardAndWait(TapeExtension tape, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::StartCompletion, event, true, true, true);
        int status = IoCallDriver(tape.LowerDevice, Irp);
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

    /** Writes one command byte once the adapter's command register is free. */
    private boolean AdapterOut(TapeExtension tape, int value) {
        for (int i = 0; i < 1000; i++) {
            if ((READ_PORT_UCHAR(tape.Base + STATUS) & STAT_CDF) == 0) {
                WRITE_PORT_UCHAR(tape.Base + DATA, (byte) value);
                return true;
            }
            KeStallExecutionProcessor(10);
        }
        return false;
    }

    /** Soft-resets the adapter and checks that it comes back idle; then hands it the mailbox array. */
    private int InitializeAdapter(TapeExtension tape) {
        long base = tape.Base;
        if ((READ_PORT_UCHAR(base + STATUS) & 0xFF) == 0xFF) {
            return STATUS_DEVICE_NOT_READY;
        }
        WRITE_PORT_UCHAR(base + CONTROL, (byte) (CTRL_SRST | CTRL_IRST));
        KeStallExecutionProcessor(20_000);
        int status = READ_PORT_UCHAR(base + STATUS) & 0xFF;
        if ((status & (STAT_INIT | STAT_IDLE)) != (STAT_INIT | STAT_IDLE) || (status & (STAT_STST | STAT_DIAGF)) != 0) {
            return STATUS_DEVICE_NOT_READY;
        }
        for (int i = 0; i < MAILBOXES; i++) {
            tape.MailboxOutStatus[i] = 0;
            tape.MailboxInStatus[i] = 0;
        }
        tape.LastMailboxOut = MAILBOXES - 1;
        tape.LastMailboxIn = MAILBOXES - 1;
        tape.MailboxLogical = 0x00090000L;
        boolean ok = AdapterOut(tape, CMD_MBINIT) && AdapterOut(tape, MAILBOXES)
                && AdapterOut(tape, (int) (tape.MailboxLogical >> 16)) && AdapterOut(tape, (int) (tape.MailboxLogical >> 8))
                && AdapterOut(tape, (int) tape.MailboxLogical);
        WRITE_PORT_UCHAR(base + CONTROL, (byte) CTRL_IRST);
        return ok ? STATUS_SUCCESS : STATUS_DEVICE_NOT_READY;
    }

    private int StartAdapter(TapeExtension tape, CmResourceList resources) {
        int vector = -1;
        int level = 0;
        long affinity = 0;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypePort) {
                tape.Base = d.u.Port.Start;
            } else if (d.Type == CmResourceTypeInterrupt) {
                vector = d.u.Interrupt.Vector;
                level = d.u.Interrupt.Level;
                affinity = d.u.Interrupt.Affinity;
            }
        }
        if (tape.Base == 0 || vector < 0) {
            return STATUS_DEVICE_NOT_READY;
        }
        int status = InitializeAdapter(tape);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceDescription description = new DeviceDescription();
        description.Version = DEVICE_DESCRIPTION_VERSION;
        description.Master = true;
        description.ScatterGather = false;
        description.Dma32BitAddresses = false;
        description.InterfaceType = Isa;
        description.MaximumLength = MAX_PIECE;
        Out<Integer> mapRegisters = new Out<>();
        tape.Adapter = IoGetDmaAdapter(tape.Pdo, description, mapRegisters);
        if (tape.Adapter == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        tape.MapRegisterCount = mapRegisters.value;
        Out<KInterrupt> interrupt = new Out<>();
        status = IoConnectInterrupt(interrupt, this::InterruptService, tape.Self, null, vector, level, level,
                Latched, false, affinity, false);
        if (!NT_SUCCESS(status)) {
            tape.Adapter.DmaOperations.PutDmaAdapter(tape.Adapter);
            tape.Adapter = null;
            return status;
        }
        tape.Interrupt = interrupt.value;
        IoStartTimer(tape.Self);
        return STATUS_SUCCESS;
    }

    private void StopAdapter(TapeExtension tape) {
        IoStopTimer(tape.Self);
        if (tape.Interrupt != null) {
            IoDisconnectInterrupt(tape.Interrupt);
            tape.Interrupt = null;
        }
        if (tape.Adapter != null) {
            tape.Adapter.DmaOperations.PutDmaAdapter(tape.Adapter);
            tape.Adapter = null;
        }
        if (tape.Base != 0) {
            WRITE_PORT_UCHAR(tape.Base + CONTROL, (byte) CTRL_HRST);
        }
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }
}
