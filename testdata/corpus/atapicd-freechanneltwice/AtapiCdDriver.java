package corpus.atapicdfreechanneltwice;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * Driver for ATAPI CD-ROM drives on a bus-master IDE channel. Master and slave each have a device
 * object with its own StartIo queue and share the channel through a controller object. StartIo
 * allocates the controller, the ControllerControl routine allocates the adapter channel, and the
 * AdapterControl routine keeps only the map registers. A read is split into pieces no larger than
 * the map registers and the 64 KB PRD limit allow; each piece is one READ(10) packet command: the
 * channel is programmed in a SynchCritSection, the ISR sends the CDB when the drive asks for it
 * and starts the DMA engine, and on the completion interrupt stops the engine, captures the
 * status and queues the unit's DpcForIsr. The DPC flushes the piece, retries a failed piece,
 * starts the next piece, or frees the map registers and the controller and completes the IRP. An
 * IoTimer on the channel resets it when a command never finishes.
 *
 * Re-expressed from: reactos/reactos/drivers/storage/ide/atapi/pata_io.c (PACKET protocol, PCI IDE DMA prepare/start/stop) (structure and facts, not code).
 */
@HardwareId("PCI\\CC_0101")
public final class AtapiCdDriver {
    // command block registers
    static final int IDE_DATA = 0;
    static final int IDE_FEATURES = 1;
    static final int IDE_INTERRUPT_REASON = 2;
    static final int IDE_BYTE_COUNT_LOW = 4;
    static final int IDE_BYTE_COUNT_HIGH = 5;
    static final int IDE_DRIVE_SELECT = 6;
    static final int IDE_STATUS = 7;
    static final int IDE_COMMAND = 7;
    // control block register
    static final int IDE_CONTROL = 0;
    // PCI IDE bus master registers
    static final int BM_COMMAND = 0;
    static final int BM_STATUS = 2;
    static final int BM_PRDT = 4;

    static final int STATUS_ERR = 0x01;
    static final int STATUS_DRQ = 0x08;
    static final int STATUS_DF = 0x20;
    static final int STATUS_BSY = 0x80;
    static final int REASON_COD = 0x01;
    static final int REASON_IO = 0x02;
    static final int DC_SRST = 0x04;
    static final int DC_ALWAYS = 0x08;
    static final int BM_CMD_START = 0x01;
    static final int BM_CMD_TO_MEMORY = 0x08;
    static final int BM_STS_ACTIVE = 0x01;
    static final int BM_STS_ERROR = 0x02;
    static final int BM_STS_INTERRUPT = 0x04;
    static final int ATA_PACKET = 0xA0;
    static final int FEATURE_DMA = 0x01;
    static final int SCSIOP_READ10 = 0x28;

    static final int PHASE_IDLE = 0;
    static final int PHASE_AWAIT_CDB = 1;
    static final int PHASE_DATA = 2;

    static final int BLOCK_SIZE = 2048;
    static final int MAX_PIECE = 0x10000 - BLOCK_SIZE;
    static final int MAX_RETRIES = 4;
    static final int COMMAND_TIMEOUT_TICKS = 5;
    static final int TAG = 0x44434950;
    static final int IO_CD_ROM_INCREMENT = 1;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        DriverObject.DriverStartIo = this::StartIo;
        DriverObject.DriverUnload = this::Unload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::DispatchCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::DispatchCreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::DispatchRead;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::DispatchPnp;
        return STATUS_SUCCESS;
    }

    /** Creates the channel's FDO and controller, and a device object per drive position. */
    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject PhysicalDeviceObject) {
        ControllerObject controller = IoCreateController(IdeChannel.class);
        if (controller == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        IdeChannel channel = (IdeChannel) controller.ControllerExtension;
        channel.Controller = controller;
        channel.Pdo = PhysicalDeviceObject;
        IoInitializeRemoveLock(channel.RemoveLock, TAG, 0, 0);
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, CdUnit.class, null, FILE_DEVICE_UNKNOWN, 0, false, created);
        if (!NT_SUCCESS(status)) {
            IoDeleteController(controller);
            return status;
        }
        channel.Fdo = created.value;
        CdUnit fdoUnit = (CdUnit) channel.Fdo.DeviceExtension;
        fdoUnit.Self = channel.Fdo;
        fdoUnit.Channel = channel;
        fdoUnit.UnitNumber = -1;
        for (int unit = 0; unit < 2; unit++) {
            status = IoCreateDevice(DriverObject, CdUnit.class, null, FILE_DEVICE_UNKNOWN, 0, false, created);
            if (!NT_SUCCESS(status)) {
                DeleteUnits(channel);
                IoDeleteDevice(channel.Fdo);
                IoDeleteController(controller);
                return status;
            }
            DeviceObject device = created.value;
            CdUnit cd = (CdUnit) device.DeviceExtension;
            cd.Self = device;
            cd.Channel = channel;
            cd.UnitNumber = unit;
            IoInitializeDpcRequest(device, this::DpcForIsr);
            device.Flags |= DO_DIRECT_IO;
            device.Flags &= ~DO_DEVICE_INITIALIZING;
            channel.Units[unit] = device;
        }
        channel.LowerDevice = IoAttachDeviceToDeviceStack(channel.Fdo, PhysicalDeviceObject);
        if (channel.LowerDevice == null) {
            DeleteUnits(channel);
            IoDeleteDevice(channel.Fdo);
            IoDeleteController(controller);
            return STATUS_UNSUCCESSFUL;
        }
        IoInitializeTimer(channel.Fdo, this::ChannelTimer, channel);
        channel.Fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private void DeleteUnits(IdeChannel channel) {
        for (int unit = 0; unit < 2; unit++) {
            if (channel.Units[unit] != null) {
                IoDeleteDevice(channel.Units[unit]);
                channel.Units[unit] = null;
            }
        }
    }

    @Role(DriverDispatch.class)
    int DispatchCreateClose(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int DispatchRead(DeviceObject DeviceObject, Irp Irp) {
        CdUnit cd = (CdUnit) DeviceObject.DeviceExtension;
        IoStackLocation.ReadWrite read = IoGetCurrentIrpStackLocation(Irp).Parameters.Read;
        int status = STATUS_SUCCESS;
        if (cd.UnitNumber < 0 || !cd.Present || cd.Channel.Interrupt == null) {
            status = STATUS_DEVICE_NOT_READY;
        } else if (read.Length == 0 || read.Length % BLOCK_SIZE != 0 || read.ByteOffset % BLOCK_SIZE != 0) {
            status = STATUS_INVALID_PARAMETER;
        } else {
            status = IoAcquireRemoveLock(cd.Channel.RemoveLock, Irp);
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

    // ------------------------------------------------------------------ StartIo and allocation

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        CdUnit cd = (CdUnit) DeviceObject.DeviceExtension;
        IoStackLocation.ReadWrite read = IoGetCurrentIrpStackLocation(Irp).Parameters.Read;
        cd.TransferMdl = Irp.MdlAddress;
        cd.TransferVa = MmGetMdlVirtualAddress(Irp.MdlAddress);
        cd.StartBlock = read.ByteOffset / BLOCK_SIZE;
        cd.TotalLength = read.Length;
        cd.BytesDone = 0;
        cd.RetryCount = 0;
        IoAllocateController(cd.Channel.Controller, DeviceObject, this::ControllerControl, cd);
    }

    @Role(DriverControl.class)
    int ControllerControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        CdUnit cd = (CdUnit) Context;
        IdeChannel channel = cd.Channel;
        channel.Adapter.DmaOperations.AllocateAdapterChannel(channel.Adapter, DeviceObject,
                channel.MapRegisterCount, this::AdapterControl, cd);
        return KeepObject;
    }

    @Role(DriverControl.class)
    int AdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        CdUnit cd = (CdUnit) Context;
        cd.MapRegisterBase = MapRegisterBase;
        StartPiece(cd);
        return DeallocateObjectKeepRegisters;
    }

    /** What ProgramPacket needs for one piece. */
    static final class PieceCommand {
        CdUnit Unit;
        long LogicalAddress;
        int Length;
        long Block;
    }

    /** Maps the next piece and programs the channel for its packet command. DISPATCH_LEVEL. */
    private void StartPiece(CdUnit cd) {
        IdeChannel channel = cd.Channel;
        int limit = Math.min(MAX_PIECE, channel.MapRegisterCount * PAGE_SIZE);
        Out<Integer> length = new Out<>(Math.min(cd.TotalLength - cd.BytesDone, limit));
        long logical = channel.Adapter.DmaOperations.MapTransfer(channel.Adapter, cd.TransferMdl,
                cd.MapRegisterBase, cd.TransferVa + cd.BytesDone, length, false);
        PieceCommand command = new PieceCommand();
        command.Unit = cd;
        command.LogicalAddress = logical;
        command.Length = length.value - length.value % BLOCK_SIZE;
        command.Block = cd.StartBlock + cd.BytesDone / BLOCK_SIZE;
        cd.PieceLength = command.Length;
        KeSynchronizeExecution(channel.Interrupt, this::ProgramPacket, command);
    }

    @Role(KSynchronizeRoutine.class)
    boolean ProgramPacket(Object SynchronizeContext) {
        PieceCommand command = (PieceCommand) SynchronizeContext;
        CdUnit cd = command.Unit;
        IdeChannel channel = cd.Channel;
        int blocks = command.Length / BLOCK_SIZE;
        // one PRD entry: address, byte count, end of table
        WRITE_PORT_UCHAR(channel.BusMaster + BM_COMMAND, (byte) 0);
        WRITE_PORT_UCHAR(channel.BusMaster + BM_STATUS, (byte) (BM_STS_INTERRUPT | BM_STS_ERROR));
        WRITE_PORT_ULONG(channel.BusMaster + BM_PRDT, (int) channel.PrdTableLogical);
        WRITE_PORT_UCHAR(channel.CommandBlock + IDE_DRIVE_SELECT, (byte) (0xA0 | (cd.UnitNumber << 4)));
        WRITE_PORT_UCHAR(channel.CommandBlock + IDE_FEATURES, (byte) FEATURE_DMA);
        WRITE_PORT_UCHAR(channel.CommandBlock + IDE_BYTE_COUNT_LOW, (byte) 0);
        WRITE_PORT_UCHAR(channel.CommandBlock + IDE_BYTE_COUNT_HIGH, (byte) 0x08);
        channel.Cdb[0] = (byte) SCSIOP_READ10;
        channel.Cdb[2] = (byte) (command.Block >> 24);
        channel.Cdb[3] = (byte) (command.Block >> 16);
        channel.Cdb[4] = (byte) (command.Block >> 8);
        channel.Cdb[5] = (byte) command.Block;
        channel.Cdb[7] = (byte) (blocks >> 8);
        channel.Cdb[8] = (byte) blocks;
        channel.ActiveUnit = cd.Self;
        channel.Phase = PHASE_AWAIT_CDB;
        channel.CommandPending = true;
        channel.TimeoutTicks = 0;
        WRITE_PORT_UCHAR(channel.CommandBlock + IDE_COMMAND, (byte) ATA_PACKET);
        return true;
    }

    // ------------------------------------------------------------------ interrupt

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        IdeChannel channel = (IdeChannel) ServiceContext;
        int dmaStatus = READ_PORT_UCHAR(channel.BusMaster + BM_STATUS) & 0xFF;
        if ((dmaStatus & BM_STS_INTERRUPT) == 0 || !channel.CommandPending) {
            return false;
        }
        int ideStatus = READ_PORT_UCHAR(channel.CommandBlock + IDE_STATUS) & 0xFF;
        if ((ideStatus & STATUS_BSY) != 0) {
            return false;
        }
        if (channel.Phase == PHASE_AWAIT_CDB) {
            int reason = READ_PORT_UCHAR(channel.CommandBlock + IDE_INTERRUPT_REASON) & 0x03;
            if (reason == REASON_COD && (ideStatus & STATUS_DRQ) != 0) {
                for (int i = 0; i < 12; i += 2) {
                    WRITE_PORT_USHORT(channel.CommandBlock + IDE_DATA,
                            (short) ((channel.Cdb[i] & 0xFF) | ((channel.Cdb[i + 1] & 0xFF) << 8)));
                }
                WRITE_PORT_UCHAR(channel.BusMaster + BM_STATUS, (byte) BM_STS_INTERRUPT);
                WRITE_PORT_UCHAR(channel.BusMaster + BM_COMMAND, (byte) (BM_CMD_START | BM_CMD_TO_MEMORY));
                channel.Phase = PHASE_DATA;
                return true;
            }
        }
        WRITE_PORT_UCHAR(channel.BusMaster + BM_COMMAND, (byte) 0);
        WRITE_PORT_UCHAR(channel.BusMaster + BM_STATUS, (byte) BM_STS_INTERRUPT);
        channel.CapturedIdeStatus = ideStatus;
        channel.CapturedDmaStatus = dmaStatus;
        channel.Phase = PHASE_IDLE;
        channel.CommandPending = false;
        DeviceObject unit = channel.ActiveUnit;
        IoRequestDpc(unit, unit.CurrentIrp, null);
        return true;
    }

    /** What the DPC takes of the ISR's capture. */
    static final class PieceResult {
        IdeChannel Channel;
        int IdeStatus;
        int DmaStatus;
        boolean Reset;
    }

    @Role(KSynchronizeRoutine.class)
    boolean TakeResult(Object SynchronizeContext) {
        PieceResult result = (PieceResult) SynchronizeContext;
        IdeChannel channel = result.Channel;
        result.IdeStatus = channel.CapturedIdeStatus;
        result.DmaStatus = channel.CapturedDmaStatus;
        result.Reset = channel.ResetDone;
        channel.ResetDone = false;
        channel.ActiveUnit = null;
        return true;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        CdUnit cd = (CdUnit) DeviceObject.DeviceExtension;
        IdeChannel channel = cd.Channel;
        Irp irp = DeviceObject.CurrentIrp;
        if (irp == null) {
            return;
        }
        PieceResult result = new PieceResult();
        result.Channel = channel;
        KeSynchronizeExecution(channel.Interrupt, this::TakeResult, result);
        channel.Adapter.DmaOperations.FlushAdapterBuffers(channel.Adapter, cd.TransferMdl, cd.MapRegisterBase,
                cd.TransferVa + cd.BytesDone, cd.PieceLength, false);
        boolean failed = result.Reset || (result.DmaStatus & BM_STS_ERROR) != 0
                || (result.IdeStatus & (STATUS_ERR | STATUS_DF)) != 0;
        int status = STATUS_SUCCESS;
        if (failed) {
            if (++cd.RetryCount <= MAX_RETRIES) {
                StartPiece(cd);
                return;
            }
            status = result.Reset ? STATUS_IO_TIMEOUT : STATUS_DEVICE_DATA_ERROR;
        } else {
            cd.BytesDone += cd.PieceLength;
            cd.RetryCount = 0;
            if (cd.BytesDone < cd.TotalLength) {
                StartPiece(cd);
                return;
            }
        }
        channel.Adapter.DmaOperations.FreeAdapterChannel(channel.Adapter); // expect: DmaResourceLeak
        IoFreeController(channel.Controller);
        irp.IoStatus.Status = status;
        irp.IoStatus.Information = cd.BytesDone;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(irp, IO_CD_ROM_INCREMENT);
        IoReleaseRemoveLock(channel.RemoveLock, irp);
    }

    // ------------------------------------------------------------------ timeout

    @Role(IoTimerRoutine.class)
    void ChannelTimer(DeviceObject DeviceObject, Object Context) {
        IdeChannel channel = (IdeChannel) Context;
        if (channel.Interrupt != null) {
            KeSynchronizeExecution(channel.Interrupt, this::CheckCommandTimeout, channel);
        }
    }

    @Role(KSynchronizeRoutine.class)
    boolean CheckCommandTimeout(Object SynchronizeContext) {
        IdeChannel channel = (IdeChannel) SynchronizeContext;
        if (!channel.CommandPending || ++channel.TimeoutTicks <= COMMAND_TIMEOUT_TICKS) {
            return false;
        }
        WRITE_PORT_UCHAR(channel.BusMaster + BM_COMMAND, (byte) 0);
        WRITE_PORT_UCHAR(channel.ControlBlock + IDE_CONTROL, (byte) (DC_ALWAYS | DC_SRST));
        KeStallExecutionProcessor(20);
        WRITE_PORT_UCHAR(channel.ControlBlock + IDE_CONTROL, (byte) DC_ALWAYS);
        channel.CommandPending = false;
        channel.Phase = PHASE_IDLE;
        channel.ResetDone = true;
        DeviceObject unit = channel.ActiveUnit;
        IoRequestDpc(unit, unit.CurrentIrp, null);
        return true;
    }

    // ------------------------------------------------------------------ PnP

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        CdUnit fdoUnit = (CdUnit) DeviceObject.DeviceExtension;
        IdeChannel channel = fdoUnit.Channel;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        if (fdoUnit.UnitNumber >= 0) {
            // the drive objects are not in a PnP stack
            int status = Irp.IoStatus.Status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE: {
                int status = ForwardAndWait(channel, Irp);
                if (NT_SUCCESS(status)) {
                    status = StartChannel(channel,
                            IoGetCurrentIrpStackLocation(Irp).Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
            case IRP_MN_REMOVE_DEVICE: {
                IoAcquireRemoveLock(channel.RemoveLock, Irp);
                IoReleaseRemoveLockAndWait(channel.RemoveLock, Irp);
                StopChannel(channel);
                IoSkipCurrentIrpStackLocation(Irp);
                int status = IoCallDriver(channel.LowerDevice, Irp);
                IoDetachDevice(channel.LowerDevice);
                DeleteUnits(channel);
                IoDeleteDevice(DeviceObject);
                IoDeleteController(channel.Controller);
                return status;
            }
            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(channel.LowerDevice, Irp);
        }
    }

    private int ForwardAndWait(IdeChannel channel, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::StartCompletion, event, true, true, true);
        int status = IoCallDriver(channel.LowerDevice, Irp);
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

    /** A drive is there when its status register does not float and BSY clears. */
    private boolean ProbeUnit(IdeChannel channel, int unit) {
        WRITE_PORT_UCHAR(channel.CommandBlock + IDE_DRIVE_SELECT, (byte) (0xA0 | (unit << 4)));
        KeStallExecutionProcessor(1);
        for (int i = 0; i < 1000; i++) {
            int status = READ_PORT_UCHAR(channel.CommandBlock + IDE_STATUS) & 0xFF;
            if (status == 0xFF) {
                return false;
            }
            if ((status & STATUS_BSY) == 0) {
                return true;
            }
            KeStallExecutionProcessor(10);
        }
        return false;
    }

    private int StartChannel(IdeChannel channel, CmResourceList resources) {
        int ports = 0;
        int vector = -1;
        int level = 0;
        long affinity = 0;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypePort) {
                if (ports == 0) {
                    channel.CommandBlock = d.u.Port.Start;
                } else if (ports == 1) {
                    channel.ControlBlock = d.u.Port.Start;
                } else if (ports == 2) {
                    channel.BusMaster = d.u.Port.Start;
                }
                ports++;
            } else if (d.Type == CmResourceTypeInterrupt) {
                vector = d.u.Interrupt.Vector;
                level = d.u.Interrupt.Level;
                affinity = d.u.Interrupt.Affinity;
            }
        }
        if (ports < 3 || vector < 0) {
            return STATUS_DEVICE_NOT_READY;
        }
        boolean any = false;
        for (int unit = 0; unit < 2; unit++) {
            CdUnit cd = (CdUnit) channel.Units[unit].DeviceExtension;
            cd.Present = ProbeUnit(channel, unit);
            any |= cd.Present;
        }
        if (!any) {
            return STATUS_DEVICE_NOT_READY;
        }
        DeviceDescription description = new DeviceDescription();
        description.Version = DEVICE_DESCRIPTION_VERSION;
        description.Master = true;
        description.ScatterGather = false;
        description.Dma32BitAddresses = true;
        description.InterfaceType = PCIBus;
        description.MaximumLength = MAX_PIECE;
        Out<Integer> mapRegisters = new Out<>();
        channel.Adapter = IoGetDmaAdapter(channel.Pdo, description, mapRegisters);
        if (channel.Adapter == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        channel.MapRegisterCount = mapRegisters.value;
        channel.PrdTableLogical = 0x00080000L;
        channel.Phase = PHASE_IDLE;
        channel.CommandPending = false;
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptService, channel, null, vector, level, level,
                Latched, false, affinity, false);
        if (!NT_SUCCESS(status)) {
            channel.Adapter.DmaOperations.PutDmaAdapter(channel.Adapter);
            channel.Adapter = null;
            return status;
        }
        channel.Interrupt = interrupt.value;
        WRITE_PORT_UCHAR(channel.ControlBlock + IDE_CONTROL, (byte) DC_ALWAYS);
        IoStartTimer(channel.Fdo);
        return STATUS_SUCCESS;
    }

    private void StopChannel(IdeChannel channel) {
        IoStopTimer(channel.Fdo);
        if (channel.Interrupt != null) {
            IoDisconnectInterrupt(channel.Interrupt);
            channel.Interrupt = null;
        }
        if (channel.Adapter != null) {
            channel.Adapter.DmaOperations.PutDmaAdapter(channel.Adapter);
            channel.Adapter = null;
        }
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }
}
