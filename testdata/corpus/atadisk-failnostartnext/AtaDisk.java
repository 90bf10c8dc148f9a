package corpus.atadiskfailnostartnext;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * Driver for an ATA hard disk on a bus-master IDE channel, with a PIO fallback for drives or
 * channels without DMA. Requests go through StartIo and are split into commands of at most 256
 * sectors (and, with DMA, what the map registers cover). DMA: the AdapterControl routine maps the
 * piece, programs the PRD table, READ/WRITE DMA and the bus-master engine; the ISR stops the engine
 * and captures the status. PIO: READ/WRITE SECTORS; the ISR moves one 512-byte sector per DRQ
 * interrupt between the data port and the buffer and reports the command when the last sector
 * moved. The DpcForIsr flushes (FlushAdapterBuffers for DMA, KeFlushIoBuffers after a PIO read),
 * retries a failed command, starts the next piece, or completes the IRP.
 *
 * Re-expressed from: reactos/reactos/drivers/storage/ide/atapi/pata_io.c (AtaPataProcessRequest, AtaPataPioDataIn/Out, AtaPciIdeDmaPrepare/Start/Stop) (structure and facts, not code).
 */
@HardwareId("PCI\\CC_0101&IDE_DISK")
public final class AtaDisk {
    static final int IDE_DATA = 0;
    static final int IDE_ERROR = 1;
    static final int IDE_SECTOR_COUNT = 2;
    static final int IDE_LBA_LOW = 3;
    static final int IDE_LBA_MID = 4;
    static final int IDE_LBA_HIGH = 5;
    static final int IDE_DRIVE_SELECT = 6;
    static final int IDE_STATUS = 7;
    static final int IDE_COMMAND = 7;
    static final int IDE_CONTROL = 0;
    static final int BM_COMMAND = 0;
    static final int BM_STATUS = 2;
    static final int BM_PRDT = 4;

    static final int STATUS_ERR = 0x01;
    static final int STATUS_DRQ = 0x08;
    static final int STATUS_DF = 0x20;
    static final int STATUS_BSY = 0x80;
    static final int BM_CMD_START = 0x01;
    static final int BM_CMD_TO_MEMORY = 0x08;
    static final int BM_STS_ERROR = 0x02;
    static final int BM_STS_INTERRUPT = 0x04;
    static final int BM_STS_DRIVE0_DMA = 0x20;
    static final int DC_ALWAYS = 0x08;
    static final int DC_SRST = 0x04;

    static final int ATA_READ_SECTORS = 0x20;
    static final int ATA_WRITE_SECTORS = 0x30;
    static final int ATA_READ_DMA = 0xC8;
    static final int ATA_WRITE_DMA = 0xCA;

    static final int SECTOR_SIZE = 512;
    static final int MAX_SECTORS_PER_COMMAND = 256;
    static final int MAX_RETRIES = 3;
    static final int TAG = 0x4b534441;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        DriverObject.DriverStartIo = this::StartIo;
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
        int status = IoCreateDevice(DriverObject, AtaExtension.class, null, FILE_DEVICE_DISK, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        AtaExtension ata = (AtaExtension) fdo.DeviceExtension;
        ata.Self = fdo;
        ata.Pdo = PhysicalDeviceObject;
        KeInitializeSpinLock(ata.StatsLock);
        IoInitializeRemoveLock(ata.RemoveLock, TAG, 0, 0);
        ata.LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (ata.LowerDevice == null) {
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

    /** Counts a request in the statistics the driver reports through WMI. */
    private void CountRequest(AtaExtension ata, boolean write) {
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(ata.StatsLock, oldIrql);
        if (write) {
            ata.Writes++;
        } else {
            ata.Reads++;
        }
        KeReleaseSpinLock(ata.StatsLock, oldIrql.value);
    }

    @Role(DriverDispatch.class)
    int DispatchReadWrite(DeviceObject DeviceObject, Irp Irp) {
        AtaExtension ata = (AtaExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        boolean write = stack.MajorFunction == IRP_MJ_WRITE;
        IoStackLocation.ReadWrite rw = write ? stack.Parameters.Write : stack.Parameters.Read;
        int status = STATUS_SUCCESS;
        if (ata.Interrupt == null) {
            status = STATUS_DEVICE_NOT_READY;
        } else if (rw.Length == 0 || rw.Length % SECTOR_SIZE != 0 || rw.ByteOffset % SECTOR_SIZE != 0
                || (rw.ByteOffset + rw.Length) / SECTOR_SIZE > ata.TotalSectors) {
            status = STATUS_INVALID_PARAMETER;
        } else {
            status = IoAcquireRemoveLock(ata.RemoveLock, Irp);
        }
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        CountRequest(ata, write);
        IoMarkIrpPending(Irp);
        IoStartPacket(DeviceObject, Irp, null, null);
        return STATUS_PENDING;
    }

    // ------------------------------------------------------------------ StartIo

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        AtaExtension ata = (AtaExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        ata.Write = stack.MajorFunction == IRP_MJ_WRITE;
        IoStackLocation.ReadWrite rw = ata.Write ? stack.Parameters.Write : stack.Parameters.Read;
        ata.TransferMdl = Irp.MdlAddress;
        ata.TransferVa = MmGetMdlVirtualAddress(Irp.MdlAddress);
        ata.StartLba = rw.ByteOffset / SECTOR_SIZE;
        ata.TotalLength = rw.Length;
        ata.BytesDone = 0;
        ata.RetryCount = 0;
        if (ata.UseDma) {
            ata.Adapter.DmaOperations.AllocateAdapterChannel(ata.Adapter, DeviceObject, ata.MapRegisterCount,
                    this::AdapterControl, ata);
        } else {
            StartPioPiece(ata);
        }
    }

    @Role(DriverControl.class)
    int AdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        AtaExtension ata = (AtaExtension) Context;
        ata.MapRegisterBase = MapRegisterBase;
        StartDmaPiece(ata);
        return KeepObject;
    }

    /** What the programming SynchCritSections need for one command. */
    static final class AtaCommand {
        AtaExtension Ata;
        long Lba;
        int Sectors;
        long LogicalAddress;
        byte[] Buffer;
        int BufferOffset;
    }

    private void StartDmaPiece(AtaExtension ata) {
        int limit = Math.min(MAX_SECTORS_PER_COMMAND * SECTOR_SIZE, ata.MapRegisterCount * PAGE_SIZE);
        Out<Integer> length = new Out<>(Math.min(ata.TotalLength - ata.BytesDone, limit));
        long logical = ata.Adapter.DmaOperations.MapTransfer(ata.Adapter, ata.TransferMdl, ata.MapRegisterBase,
                ata.TransferVa + ata.BytesDone, length, ata.Write);
        ata.PieceLength = length.value - length.value % SECTOR_SIZE;
        AtaCommand command = new AtaCommand();
        command.Ata = ata;
        command.Lba = ata.StartLba + ata.BytesDone / SECTOR_SIZE;
        command.Sectors = ata.PieceLength / SECTOR_SIZE;
        command.LogicalAddress = logical;
        KeSynchronizeExecution(ata.Interrupt, this::ProgramDma, command);
    }

    private void StartPioPiece(AtaExtension ata) {
        ata.PieceLength = Math.min(ata.TotalLength - ata.BytesDone, MAX_SECTORS_PER_COMMAND * SECTOR_SIZE);
        AtaCommand command = new AtaCommand();
        command.Ata = ata;
        command.Lba = ata.StartLba + ata.BytesDone / SECTOR_SIZE;
        command.Sectors = ata.PieceLength / SECTOR_SIZE;
        command.Buffer = MmGetSystemAddressForMdlSafe(ata.TransferMdl, NormalPagePriority);
        command.BufferOffset = ata.BytesDone;
        KeSynchronizeExecution(ata.Interrupt, this::ProgramPio, command);
    }

    /** Selects the drive and loads LBA28 and the sector count (0 means 256). DIRQL. */
    private void LoadTaskFile(AtaExtension ata, long lba, int sectors) {
        long cmd = ata.CommandBlock;
        WRITE_PORT_UCHAR(cmd + IDE_DRIVE_SELECT, (byte) (0xE0 | ((lba >> 24) & 0x0F)));
        WRITE_PORT_UCHAR(cmd + IDE_SECTOR_COUNT, (byte) (sectors & 0xFF));
        WRITE_PORT_UCHAR(cmd + IDE_LBA_LOW, (byte) lba);
        WRITE_PORT_UCHAR(cmd + IDE_LBA_MID, (byte) (lba >> 8));
        WRITE_PORT_UCHAR(cmd + IDE_LBA_HIGH, (byte) (lba >> 16));
    }

    @Role(KSynchronizeRoutine.class)
    boolean ProgramDma(Object SynchronizeContext) {
        AtaCommand command = (AtaCommand) SynchronizeContext;
        AtaExtension ata = command.Ata;
        WRITE_PORT_UCHAR(ata.BusMaster + BM_COMMAND, (byte) 0);
        WRITE_PORT_UCHAR(ata.BusMaster + BM_STATUS, (byte) (BM_STS_INTERRUPT | BM_STS_ERROR | BM_STS_DRIVE0_DMA));
        WRITE_PORT_ULONG(ata.BusMaster + BM_PRDT, (int) ata.PrdTableLogical);
        LoadTaskFile(ata, command.Lba, command.Sectors);
        ata.DmaActive = true;
        ata.PioActive = false;
        ata.Done = false;
        WRITE_PORT_UCHAR(ata.CommandBlock + IDE_COMMAND, (byte) (ata.Write ? ATA_WRITE_DMA : ATA_READ_DMA));
        WRITE_PORT_UCHAR(ata.BusMaster + BM_COMMAND, (byte) (BM_CMD_START | (ata.Write ? 0 : BM_CMD_TO_MEMORY)));
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean ProgramPio(Object SynchronizeContext) {
        AtaCommand command = (AtaCommand) SynchronizeContext;
        AtaExtension ata = command.Ata;
        ata.PioBuffer = command.Buffer;
        ata.PioOffset = command.BufferOffset;
        ata.SectorsLeft = command.Sectors;
        ata.PioActive = true;
        ata.DmaActive = false;
        ata.Done = false;
        LoadTaskFile(ata, command.Lba, command.Sectors);
        WRITE_PORT_UCHAR(ata.CommandBlock + IDE_COMMAND, (byte) (ata.Write ? ATA_WRITE_SECTORS : ATA_READ_SECTORS));
        if (ata.Write) {
            // the drive asks for the first sector without an interrupt
            for (int i = 0; i < 1000 && (READ_PORT_UCHAR(ata.CommandBlock + IDE_STATUS) & STATUS_DRQ) == 0; i++) {
                KeStallExecutionProcessor(1);
            }
            MoveSector(ata);
        }
        return true;
    }

    /** Moves one sector between the data port and the buffer. DIRQL. */
    private void MoveSector(AtaExtension ata) {
        long data = ata.CommandBlock + IDE_DATA;
        byte[] buffer = ata.PioBuffer;
        for (int i = 0; i < SECTOR_SIZE; i += 2) {
            if (ata.Write) {
                WRITE_PORT_USHORT(data, (short) ((buffer[ata.PioOffset + i] & 0xFF)
                        | ((buffer[ata.PioOffset + i + 1] & 0xFF) << 8)));
            } else {
                short word = READ_PORT_USHORT(data);
                buffer[ata.PioOffset + i] = (byte) word;
                buffer[ata.PioOffset + i + 1] = (byte) (word >> 8);
            }
        }
        ata.PioOffset += SECTOR_SIZE;
        ata.SectorsLeft--;
    }

    // ------------------------------------------------------------------ interrupt

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        AtaExtension ata = (AtaExtension) fdo.DeviceExtension;
        if (!ata.DmaActive && !ata.PioActive) {
            return false;
        }
        int bmStatus = 0;
        if (ata.DmaActive) {
            bmStatus = READ_PORT_UCHAR(ata.BusMaster + BM_STATUS) & 0xFF;
            if ((bmStatus & BM_STS_INTERRUPT) == 0) {
                return false;
            }
        }
        int status = READ_PORT_UCHAR(ata.CommandBlock + IDE_STATUS) & 0xFF;
        if ((status & STATUS_BSY) != 0) {
            return false;
        }
        if (ata.DmaActive) {
            WRITE_PORT_UCHAR(ata.BusMaster + BM_COMMAND, (byte) 0);
            WRITE_PORT_UCHAR(ata.BusMaster + BM_STATUS, (byte) (BM_STS_INTERRUPT | BM_STS_DRIVE0_DMA));
            ata.DmaActive = false;
            ata.CapturedStatus = status | ((bmStatus & BM_STS_ERROR) != 0 ? STATUS_ERR : 0);
        } else {
            if ((status & (STATUS_ERR | STATUS_DF)) == 0 && (status & STATUS_DRQ) != 0 && ata.SectorsLeft > 0) {
                if (!ata.Write) {
                    MoveSector(ata);
                    if (ata.SectorsLeft > 0) {
                        return true;
                    }
                } else {
                    MoveSector(ata);
                    return true;
                }
            } else if ((status & (STATUS_ERR | STATUS_DF)) == 0 && ata.SectorsLeft > 0) {
                return true;
            }
            ata.PioActive = false;
            ata.CapturedStatus = status;
        }
        ata.CapturedError = (status & STATUS_ERR) != 0 ? READ_PORT_UCHAR(ata.CommandBlock + IDE_ERROR) & 0xFF : 0;
        ata.Done = true;
        IoRequestDpc(fdo, fdo.CurrentIrp, null);
        return true;
    }

    /** What the DPC takes of the ISR's capture. */
    static final class Result {
        AtaExtension Ata;
        boolean Done;
        int Status;
        int Error;
    }

    @Role(KSynchronizeRoutine.class)
    boolean TakeResult(Object SynchronizeContext) {
        Result result = (Result) SynchronizeContext;
        AtaExtension ata = result.Ata;
        result.Done = ata.Done;
        result.Status = ata.CapturedStatus;
        result.Error = ata.CapturedError;
        ata.Done = false;
        ata.PioBuffer = null;
        return true;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        AtaExtension ata = (AtaExtension) DeviceObject.DeviceExtension;
        Irp irp = DeviceObject.CurrentIrp;
        if (irp == null) {
            return;
        }
        Result result = new Result();
        result.Ata = ata;
        KeSynchronizeExecution(ata.Interrupt, this::TakeResult, result);
        if (!result.Done) {
            return;
        }
        if (ata.UseDma) {
            ata.Adapter.DmaOperations.FlushAdapterBuffers(ata.Adapter, ata.TransferMdl, ata.MapRegisterBase,
                    ata.TransferVa + ata.BytesDone, ata.PieceLength, ata.Write);
        } else if (!ata.Write) {
            KeFlushIoBuffers(ata.TransferMdl, true, false);
        }
        int status = STATUS_SUCCESS;
        if ((result.Status & (STATUS_ERR | STATUS_DF)) != 0) {
            if (++ata.RetryCount <= MAX_RETRIES) {
                RestartPiece(ata);
                return;
            }
            FailRequest(ata, irp);
            return; // expect: DpcMissingStartNext
        } else {
            ata.BytesDone += ata.PieceLength;
            ata.RetryCount = 0;
            if (ata.BytesDone < ata.TotalLength) {
                RestartPiece(ata);
                return;
            }
        }
        if (ata.UseDma) {
            ata.Adapter.DmaOperations.FreeAdapterChannel(ata.Adapter);
        }
        irp.IoStatus.Status = status;
        irp.IoStatus.Information = ata.BytesDone;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(irp, IO_DISK_INCREMENT);
        IoReleaseRemoveLock(ata.RemoveLock, irp);
    }

    /** The drive keeps failing the command: give up on the request. */
    private void FailRequest(AtaExtension ata, Irp irp) {
        KeAcquireSpinLockAtDpcLevel(ata.StatsLock);
        ata.Errors++;
        KeReleaseSpinLockFromDpcLevel(ata.StatsLock);
        if (ata.UseDma) {
            ata.Adapter.DmaOperations.FreeAdapterChannel(ata.Adapter);
        }
        irp.IoStatus.Status = STATUS_DEVICE_DATA_ERROR;
        irp.IoStatus.Information = ata.BytesDone;
        IoCompleteRequest(irp, IO_DISK_INCREMENT);
        IoReleaseRemoveLock(ata.RemoveLock, irp);
    }

    private void RestartPiece(AtaExtension ata) {
        if (ata.UseDma) {
            StartDmaPiece(ata);
        } else {
            StartPioPiece(ata);
        }
    }

    // ------------------------------------------------------------------ PnP

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        AtaExtension ata = (AtaExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE: {
                int status = ForwardAndWait(ata, Irp);
                if (NT_SUCCESS(status)) {
                    status = StartDisk(ata,
                            IoGetCurrentIrpStackLocation(Irp).Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
            case IRP_MN_REMOVE_DEVICE: {
                IoAcquireRemoveLock(ata.RemoveLock, Irp);
                IoReleaseRemoveLockAndWait(ata.RemoveLock, Irp);
                StopDisk(ata);
                IoSkipCurrentIrpStackLocation(Irp);
                int status = IoCallDriver(ata.LowerDevice, Irp);
                IoDetachDevice(ata.LowerDevice);
                IoDeleteDevice(DeviceObject);
                return status;
            }
            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(ata.LowerDevice, Irp);
        }
    }

    private int ForwardAndWait(AtaExtension ata, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::StartCompletion, event, true, true, true);
        int status = IoCallDriver(ata.LowerDevice, Irp);
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

    private int StartDisk(AtaExtension ata, CmResourceList resources) {
        int ports = 0;
        int vector = -1;
        int level = 0;
        long affinity = 0;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypePort) {
                if (ports == 0) {
                    ata.CommandBlock = d.u.Port.Start;
                } else if (ports == 1) {
                    ata.ControlBlock = d.u.Port.Start;
                } else if (ports == 2) {
                    ata.BusMaster = d.u.Port.Start;
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
        WRITE_PORT_UCHAR(ata.ControlBlock + IDE_CONTROL, (byte) (DC_ALWAYS | DC_SRST));
        KeStallExecutionProcessor(20);
        WRITE_PORT_UCHAR(ata.ControlBlock + IDE_CONTROL, (byte) DC_ALWAYS);
        ata.TotalSectors = 1L << 20;
        ata.UseDma = ports >= 3;
        if (ata.UseDma) {
            DeviceDescription description = new DeviceDescription();
            description.Version = DEVICE_DESCRIPTION_VERSION;
            description.Master = true;
            description.Dma32BitAddresses = true;
            description.InterfaceType = PCIBus;
            description.MaximumLength = MAX_SECTORS_PER_COMMAND * SECTOR_SIZE;
            Out<Integer> mapRegisters = new Out<>();
            ata.Adapter = IoGetDmaAdapter(ata.Pdo, description, mapRegisters);
            if (ata.Adapter == null) {
                ata.UseDma = false;
            } else {
                ata.MapRegisterCount = mapRegisters.value;
                ata.PrdTableLogical = 0x000A0000L;
            }
        }
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptService, ata.Self, null, vector, level, level,
                Latched, false, affinity, false);
        if (!NT_SUCCESS(status)) {
            if (ata.Adapter != null) {
                ata.Adapter.DmaOperations.PutDmaAdapter(ata.Adapter);
                ata.Adapter = null;
            }
            return status;
        }
        ata.Interrupt = interrupt.value;
        return STATUS_SUCCESS;
    }

    private void StopDisk(AtaExtension ata) {
        if (ata.Interrupt != null) {
            IoDisconnectInterrupt(ata.Interrupt);
            ata.Interrupt = null;
        }
        if (ata.Adapter != null) {
            ata.Adapter.DmaOperations.PutDmaAdapter(ata.Adapter);
            ata.Adapter = null;
        }
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }
}
