package corpus.pioatashortwait;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A PIO-mode ATA disk. StartIo splits each request into commands of at most eight sectors; a
 * SynchCritSection writes the task file (drive/head, count, LBA, READ SECTORS or WRITE SECTORS) and,
 * for a write, the first block once DRQ is up. Each block interrupt moves one 512-byte block through
 * the data port at DIRQL; after the last block the ISR requests the DpcForIsr, which checks the
 * status, retries a failed command up to three times, starts the next command of a split request or
 * completes the IRP (flushing after reads) just after IoStartNextPacket. A one-second IoTimer
 * catches a command whose interrupt never came, resets the channel and lets the DPC retry.
 * Re-expressed from: reactos/reactos/drivers/storage/ide/atapi/pata_io.c (structure and facts, not code).
 */
@HardwareId("SIM\\PIOATA")
public final class PioAtaDriver {
    // command block registers
    static final int ATA_DATA = 0;
    static final int ATA_ERROR = 1;
    static final int ATA_SECTOR_COUNT = 2;
    static final int ATA_LBA_LOW = 3;
    static final int ATA_LBA_MID = 4;
    static final int ATA_LBA_HIGH = 5;
    static final int ATA_DRIVE_SELECT = 6;
    static final int ATA_STATUS = 7;
    static final int ATA_COMMAND = 7;
    // control block register
    static final int ATA_DEVICE_CONTROL = 0;
    static final int IDE_DC_DISABLE_INTERRUPTS = 0x02;
    static final int IDE_DC_RESET_CONTROLLER = 0x04;
    static final int IDE_DC_ALWAYS = 0x08;
    static final int IDE_STATUS_ERROR = 0x01;
    static final int IDE_STATUS_DRQ = 0x08;
    static final int IDE_STATUS_DEVICE_FAULT = 0x20;
    static final int IDE_STATUS_IDLE = 0x50;
    static final int IDE_STATUS_BUSY = 0x80;
    static final int IDE_COMMAND_READ = 0x20;
    static final int IDE_COMMAND_WRITE = 0x30;
    static final int IDE_COMMAND_IDENTIFY = 0xEC;
    static final int IDE_DRIVE_LBA = 0xE0;
    static final int SECTOR_SIZE = 512;
    static final int MAX_SECTORS_PER_COMMAND = 8;
    static final int MAX_RETRIES = 3;
    static final int COMMAND_TIMEOUT_S = 5;
    static final int ATA_TAG = 0x20415441;
    static final int ATA_ERR_RETRIES_EXHAUSTED = 0xC0090001;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::AtaAddDevice;
        DriverObject.DriverStartIo = this::AtaStartIo;
        DriverObject.DriverUnload = this::AtaUnload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::AtaCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::AtaCreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::AtaReadWrite;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = this::AtaReadWrite;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::AtaPnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int AtaAddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, AtaExtension.class, null, FILE_DEVICE_DISK, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        AtaExtension ext = (AtaExtension) fdo.DeviceExtension;
        ext.Self = fdo;
        ext.DriveSelect = IDE_DRIVE_LBA;
        IoInitializeRemoveLock(ext.RemoveLock, ATA_TAG, 0, 0);
        IoInitializeDpcRequest(fdo, this::AtaDpcForIsr);
        // StartIo fails requests it cannot map and starts the next one itself
        IoSetStartIoAttributes(fdo, true, false);
        status = IoInitializeTimer(fdo, this::AtaTimer, ext);
        if (!NT_SUCCESS(status)) {
            IoDeleteDevice(fdo);
            return status;
        }
        ext.LowerDevice = IoAttachDeviceToDeviceStack(fdo, Pdo);
        if (ext.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_DEVICE_NOT_READY;
        }
        fdo.Flags |= DO_DIRECT_IO;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int AtaCreateClose(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int AtaReadWrite(DeviceObject DeviceObject, Irp Irp) {
        AtaExtension ext = (AtaExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int length = stack.MajorFunction == IRP_MJ_READ ? stack.Parameters.Read.Length : stack.Parameters.Write.Length;
        long offset = stack.MajorFunction == IRP_MJ_READ ? stack.Parameters.Read.ByteOffset
                : stack.Parameters.Write.ByteOffset;
        int status = STATUS_SUCCESS;
        if (length % SECTOR_SIZE != 0 || offset % SECTOR_SIZE != 0) {
            status = STATUS_INVALID_PARAMETER;
        } else if (offset / SECTOR_SIZE + length / SECTOR_SIZE > ext.TotalSectors) {
            status = STATUS_INVALID_PARAMETER;
        } else if (length != 0) {
            status = IoAcquireRemoveLock(ext.RemoveLock, Irp);
            if (NT_SUCCESS(status)) {
                IoMarkIrpPending(Irp);
                IoStartPacket(DeviceObject, Irp, null, null);
                return STATUS_PENDING;
            }
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    // ------------------------------------------------------------------ StartIo and commands

    @Role(DriverStartIo.class)
    void AtaStartIo(DeviceObject DeviceObject, Irp Irp) {
        AtaExtension ext = (AtaExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        ext.ReadOperation = stack.MajorFunction == IRP_MJ_READ;
        long offset = ext.ReadOperation ? stack.Parameters.Read.ByteOffset : stack.Parameters.Write.ByteOffset;
        int length = ext.ReadOperation ? stack.Parameters.Read.Length : stack.Parameters.Write.Length;
        ext.SystemBuffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority);
        ext.StartingSector = offset / SECTOR_SIZE;
        ext.SectorsRequested = length / SECTOR_SIZE;
        ext.SectorsDone = 0;
        ext.Retries = 0;
        if (ext.SystemBuffer == null) {
            // nothing was started: the queue moves on from here
            Irp.IoStatus.Status = STATUS_INSUFFICIENT_RESOURCES;
            Irp.IoStatus.Information = 0;
            IoStartNextPacket(DeviceObject, false);
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(ext.RemoveLock, Irp);
            return;
        }
        AtaStartChunk(ext);
    }

    /** Issues the command for the next piece of the current request. */
    private void AtaStartChunk(AtaExtension ext) {
        AtaExtension.Command command = new AtaExtension.Command();
        command.Extension = ext;
        ext.ChunkSectors = Math.min(MAX_SECTORS_PER_COMMAND, ext.SectorsRequested - ext.SectorsDone);
        command.Lba = ext.StartingSector + ext.SectorsDone;
        command.Sectors = ext.ChunkSectors;
        command.Read = ext.ReadOperation;
        command.Buffer = ext.SystemBuffer;
        command.Offset = ext.SectorsDone * SECTOR_SIZE;
        KeSynchronizeExecution(ext.Interrupt, this::AtaIssueCommand, command);
    }

    @Role(KSynchronizeRoutine.class)
    boolean AtaIssueCommand(Object Context) {
        AtaExtension.Command command = (AtaExtension.Command) Context;
        AtaExtension ext = command.Extension;
        long base = ext.CommandBase;
        ext.DataBuffer = command.Buffer;
        ext.DataOffset = command.Offset;
        ext.BytesToTransfer = command.Sectors * SECTOR_SIZE;
        ext.DataIn = command.Read;
        ext.LastStatus = 0;
        ext.LastError = 0;
        ext.TimedOut = false;
        ext.TimerCount = COMMAND_TIMEOUT_S;
        ext.CommandActive = true;
        WRITE_PORT_UCHAR(base + ATA_DRIVE_SELECT, (byte) (ext.DriveSelect | (int) ((command.Lba >>> 24) & 0x0f)));
        WRITE_PORT_UCHAR(base + ATA_SECTOR_COUNT, (byte) command.Sectors);
        WRITE_PORT_UCHAR(base + ATA_LBA_LOW, (byte) command.Lba);
        WRITE_PORT_UCHAR(base + ATA_LBA_MID, (byte) (command.Lba >>> 8));
        WRITE_PORT_UCHAR(base + ATA_LBA_HIGH, (byte) (command.Lba >>> 16));
        WRITE_PORT_UCHAR(base + ATA_COMMAND, (byte) (command.Read ? IDE_COMMAND_READ : IDE_COMMAND_WRITE));
        if (!command.Read) {
            // a write raises DRQ without an interrupt for the first block
            if (AtaWaitForDrq(base)) {
                AtaPioDataOut(ext);
            }
        }
        return true;
    }

    private static boolean AtaWaitForDrq(long base) {
        for (int i = 0; i < 10000; i++) {
            int status = READ_PORT_UCHAR(base + ATA_STATUS) & 0xff;
            if ((status & IDE_STATUS_BUSY) == 0 && (status & IDE_STATUS_DRQ) != 0) {
                return true;
            }
            KeStallExecutionProcessor(10);
        }
        return false;
    }

    /** Moves one block from the data port into the buffer. DIRQL. */
    private static void AtaPioDataIn(AtaExtension ext) {
        int n = Math.min(SECTOR_SIZE, ext.BytesToTransfer);
        for (int i = 0; i < n; i += 2) {
            short word = READ_PORT_USHORT(ext.CommandBase + ATA_DATA);
            ext.DataBuffer[ext.DataOffset + i] = (byte) word;
            ext.DataBuffer[ext.DataOffset + i + 1] = (byte) (word >>> 8);
        }
        ext.DataOffset += n;
        ext.BytesToTransfer -= n;
    }

    /** Moves one block from the buffer to the data port. DIRQL. */
    private static void AtaPioDataOut(AtaExtension ext) {
        int n = Math.min(SECTOR_SIZE, ext.BytesToTransfer);
        for (int i = 0; i < n; i += 2) {
            int word = (ext.DataBuffer[ext.DataOffset + i] & 0xff) | (ext.DataBuffer[ext.DataOffset + i + 1] & 0xff) << 8;
            WRITE_PORT_USHORT(ext.CommandBase + ATA_DATA, (short) word);
        }
        ext.DataOffset += n;
        ext.BytesToTransfer -= n;
    }

    // ------------------------------------------------------------------ interrupt and DPC

    @Role(KServiceRoutine.class)
    boolean AtaInterrupt(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        AtaExtension ext = (AtaExtension) fdo.DeviceExtension;
        if (!ext.CommandActive) {
            // reading status acknowledges a stray interrupt
            READ_PORT_UCHAR(ext.CommandBase + ATA_STATUS);
            return false;
        }
        int status = READ_PORT_UCHAR(ext.CommandBase + ATA_STATUS) & 0xff;
        if ((status & IDE_STATUS_BUSY) != 0) {
            return false;
        }
        if ((status & (IDE_STATUS_ERROR | IDE_STATUS_DEVICE_FAULT)) == 0) {
            if (ext.DataIn && (status & IDE_STATUS_DRQ) != 0) {
                AtaPioDataIn(ext);
            }
            if (ext.BytesToTransfer != 0) {
                if (!ext.DataIn && (status & IDE_STATUS_DRQ) != 0) {
                    AtaPioDataOut(ext);
                }
                return true;
            }
        }
        ext.LastStatus = status;
        ext.LastError = (status & IDE_STATUS_ERROR) != 0 ? READ_PORT_UCHAR(ext.CommandBase + ATA_ERROR) & 0xff : 0;
        ext.CommandActive = false;
        IoRequestDpc(fdo, fdo.CurrentIrp, null);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean AtaTakeOutcome(Object Context) {
        AtaExtension.Outcome outcome = (AtaExtension.Outcome) Context;
        AtaExtension ext = outcome.Extension;
        outcome.Status = ext.LastStatus;
        outcome.Error = ext.LastError;
        outcome.BytesLeft = ext.BytesToTransfer;
        outcome.TimedOut = ext.TimedOut;
        ext.TimedOut = false;
        return true;
    }

    @Role(IoDpcRoutine.class)
    void AtaDpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        AtaExtension ext = (AtaExtension) DeviceObject.DeviceExtension;
        Irp irp = DeviceObject.CurrentIrp;
        if (irp == null) {
            return;
        }
        AtaExtension.Outcome outcome = new AtaExtension.Outcome();
        outcome.Extension = ext;
        KeSynchronizeExecution(ext.Interrupt, this::AtaTakeOutcome, outcome);
        if (outcome.BytesLeft != 0 && !outcome.TimedOut
                && (outcome.Status & (IDE_STATUS_ERROR | IDE_STATUS_DEVICE_FAULT)) == 0) {
            // the drive stopped early without an error: it will interrupt again for the rest
            return; // expect: DpcIrpNotCompleted
        }
        boolean failed = outcome.TimedOut || (outcome.Status & (IDE_STATUS_ERROR | IDE_STATUS_DEVICE_FAULT)) != 0;
        int status;
        if (failed) {
            if (ext.Retries < MAX_RETRIES) {
                ext.Retries++;
                AtaStartChunk(ext);
                return;
            }
            AtaLogError(ext, outcome);
            status = outcome.TimedOut ? STATUS_IO_TIMEOUT : STATUS_DEVICE_DATA_ERROR;
        } else {
            ext.SectorsDone += ext.ChunkSectors;
            ext.Retries = 0;
            if (ext.SectorsDone < ext.SectorsRequested) {
                AtaStartChunk(ext);
                return;
            }
            status = STATUS_SUCCESS;
        }
        if (ext.ReadOperation) {
            KeFlushIoBuffers(irp.MdlAddress, true, false);
        }
        irp.IoStatus.Status = status;
        irp.IoStatus.Information = (long) ext.SectorsDone * SECTOR_SIZE;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(irp, IO_DISK_INCREMENT);
        IoReleaseRemoveLock(ext.RemoveLock, irp);
    }

    private void AtaLogError(AtaExtension ext, AtaExtension.Outcome outcome) {
        IoErrorLogPacket entry = IoAllocateErrorLogEntry(ext.Self, 64);
        if (entry == null) {
            return;
        }
        entry.ErrorCode = ATA_ERR_RETRIES_EXHAUSTED;
        entry.RetryCount = ext.Retries;
        entry.FinalStatus = outcome.TimedOut ? STATUS_IO_TIMEOUT : STATUS_DEVICE_DATA_ERROR;
        entry.DeviceOffset = (ext.StartingSector + ext.SectorsDone) * SECTOR_SIZE;
        entry.DumpDataSize = 8;
        entry.DumpData = new int[] {outcome.Status, outcome.Error};
        IoWriteErrorLogEntry(entry);
    }

    // ------------------------------------------------------------------ timeout

    @Role(IoTimerRoutine.class)
    void AtaTimer(DeviceObject DeviceObject, Object Context) {
        AtaExtension ext = (AtaExtension) Context;
        if (ext.Interrupt != null) {
            KeSynchronizeExecution(ext.Interrupt, this::AtaCheckTimeout, DeviceObject);
        }
    }

    /** Counts down the active command; at zero, resets the channel and hands over to the DPC. DIRQL. */
    @Role(KSynchronizeRoutine.class)
    boolean AtaCheckTimeout(Object Context) {
        DeviceObject fdo = (DeviceObject) Context;
        AtaExtension ext = (AtaExtension) fdo.DeviceExtension;
        if (!ext.CommandActive || --ext.TimerCount > 0) {
            return false;
        }
        WRITE_PORT_UCHAR(ext.ControlBase + ATA_DEVICE_CONTROL, (byte) (IDE_DC_RESET_CONTROLLER | IDE_DC_ALWAYS));
        KeStallExecutionProcessor(20);
        WRITE_PORT_UCHAR(ext.ControlBase + ATA_DEVICE_CONTROL, (byte) IDE_DC_ALWAYS);
        ext.CommandActive = false;
        ext.TimedOut = true;
        IoRequestDpc(fdo, fdo.CurrentIrp, null);
        return true;
    }

    // ------------------------------------------------------------------ pnp

    @Role(DriverDispatch.class)
    int AtaPnp(DeviceObject DeviceObject, Irp Irp) {
        AtaExtension ext = (AtaExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE:
                status = AtaForwardAndWait(ext, Irp);
                if (NT_SUCCESS(status)) {
                    status = AtaStartDevice(ext, stack.Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            case IRP_MN_REMOVE_DEVICE:
                IoAcquireRemoveLock(ext.RemoveLock, Irp);
                IoReleaseRemoveLockAndWait(ext.RemoveLock, Irp);
                AtaStopDevice(ext);
                Irp.IoStatus.Status = STATUS_SUCCESS;
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

    private int AtaForwardAndWait(AtaExtension ext, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::AtaStartCompletion, event, true, true, true);
        int status = IoCallDriver(ext.LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(event, Executive, KernelMode, false, null);
            status = Irp.IoStatus.Status;
        }
        return status;
    }

    @Role(IoCompletionRoutine.class)
    int AtaStartCompletion(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    private int AtaStartDevice(AtaExtension ext, CmResourceList resources) {
        int ports = 0;
        boolean haveIrq = false;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypePort) {
                if (ports == 0) {
                    ext.CommandBase = d.u.Port.Start;
                } else if (ports == 1) {
                    ext.ControlBase = d.u.Port.Start;
                }
                ports++;
            } else if (d.Type == CmResourceTypeInterrupt) {
                ext.Vector = d.u.Interrupt.Vector;
                ext.Irql = d.u.Interrupt.Level;
                ext.Affinity = d.u.Interrupt.Affinity;
                haveIrq = true;
            }
        }
        if (ports < 2 || !haveIrq) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        int status = AtaIdentify(ext);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        Out<KInterrupt> interrupt = new Out<>();
        status = IoConnectInterrupt(interrupt, this::AtaInterrupt, ext.Self, null, ext.Vector, ext.Irql, ext.Irql,
                Latched, false, ext.Affinity, false);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        ext.Interrupt = interrupt.value;
        // from here on the drive interrupts at the end of every block
        KeSynchronizeExecution(ext.Interrupt, this::AtaEnableInterrupts, ext);
        IoStartTimer(ext.Self);
        return STATUS_SUCCESS;
    }

    @Role(KSynchronizeRoutine.class)
    boolean AtaEnableInterrupts(Object Context) {
        AtaExtension ext = (AtaExtension) Context;
        WRITE_PORT_UCHAR(ext.ControlBase + ATA_DEVICE_CONTROL, (byte) IDE_DC_ALWAYS);
        return true;
    }

    /** Polls IDENTIFY DEVICE with interrupts masked, before the ISR is connected. PASSIVE_LEVEL. */
    private int AtaIdentify(AtaExtension ext) {
        long base = ext.CommandBase;
        WRITE_PORT_UCHAR(ext.ControlBase + ATA_DEVICE_CONTROL, (byte) (IDE_DC_DISABLE_INTERRUPTS | IDE_DC_ALWAYS));
        WRITE_PORT_UCHAR(base + ATA_DRIVE_SELECT, (byte) ext.DriveSelect);
        WRITE_PORT_UCHAR(base + ATA_COMMAND, (byte) IDE_COMMAND_IDENTIFY);
        if (!AtaWaitForDrq(base)) {
            return STATUS_DEVICE_NOT_READY;
        }
        short[] identify = new short[256];
        for (int i = 0; i < identify.length; i++) {
            identify[i] = READ_PORT_USHORT(base + ATA_DATA);
        }
        ext.TotalSectors = (identify[60] & 0xffffL) | (identify[61] & 0xffffL) << 16;
        return ext.TotalSectors == 0 ? STATUS_DEVICE_NOT_READY : STATUS_SUCCESS;
    }

    @Role(KSynchronizeRoutine.class)
    boolean AtaDisableInterrupts(Object Context) {
        AtaExtension ext = (AtaExtension) Context;
        WRITE_PORT_UCHAR(ext.ControlBase + ATA_DEVICE_CONTROL, (byte) (IDE_DC_DISABLE_INTERRUPTS | IDE_DC_ALWAYS));
        ext.CommandActive = false;
        return true;
    }

    private void AtaStopDevice(AtaExtension ext) {
        if (ext.Interrupt == null) {
            return;
        }
        IoStopTimer(ext.Self);
        KeSynchronizeExecution(ext.Interrupt, this::AtaDisableInterrupts, ext);
        IoDisconnectInterrupt(ext.Interrupt);
        ext.Interrupt = null;
    }

    @Role(DriverUnload.class)
    void AtaUnload(DriverObject DriverObject) {
    }
}
