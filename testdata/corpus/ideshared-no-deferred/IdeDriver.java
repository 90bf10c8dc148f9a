package corpus.idesharednodeferred;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * Legacy IDE channel with up to two drives sharing one controller object. A drive's StartIo
 * allocates the controller; the ControllerControl routine starts the command in a SynchCritSection
 * (wait for BSY to drop, select the drive, program CHS/LBA, issue READ or WRITE, and for a write
 * send the first sector). The ISR moves one sector per interrupt, restarts the controller for the
 * next chunk of a large request, and requests the DpcForIsr when the request is done or failed.
 * The DPC flushes, frees the controller, starts the drive's next packet by key and completes.
 * An IoTimer drives the reset state machine (assert SRST, wait for BSY to drop, then DRDY) and
 * fails a command that timed out too often.
 * Re-expressed from: reactos/reactos/drivers/dd/ide/ide.c (the pre-PnP IDE driver) (structure and facts, not code).
 */
@HardwareId("SIM\\IDECHANNEL")
public final class IdeDriver {
    static final int IDE_REG_DATA = 0;
    static final int IDE_REG_ERROR = 1;
    static final int IDE_REG_PRECOMP = 1;
    static final int IDE_REG_SECTOR_CNT = 2;
    static final int IDE_REG_SECTOR_NUM = 3;
    static final int IDE_REG_CYL_LOW = 4;
    static final int IDE_REG_CYL_HIGH = 5;
    static final int IDE_REG_DRV_HEAD = 6;
    static final int IDE_REG_STATUS = 7;
    static final int IDE_REG_COMMAND = 7;
    static final int IDE_REG_DEV_CNTRL = 0;
    static final int IDE_SR_BUSY = 0x80;
    static final int IDE_SR_DRDY = 0x40;
    static final int IDE_SR_DRQ = 0x08;
    static final int IDE_SR_ERR = 0x01;
    static final int IDE_DH_FIXED = 0xA0;
    static final int IDE_DH_LBA = 0x40;
    static final int IDE_DH_DRV1 = 0x10;
    static final int IDE_DC_SRST = 0x04;
    static final int IDE_CMD_READ = 0x20;
    static final int IDE_CMD_WRITE = 0x30;
    static final int IDE_CMD_IDENT_ATA_DRV = 0xEC;
    static final int IDE_SECTOR_BUF_SZ = 512;
    static final int IDE_MAX_SECTORS_PER_XFER = 256;
    static final int IDE_MAX_BUSY_RETRIES = 50000;
    static final int IDE_MAX_CMD_RETRIES = 4;
    static final int IDE_CMD_TIMEOUT = 5;
    static final int IDE_RESET_BUSY_TIMEOUT = 31;
    static final int IDE_RESET_DRDY_TIMEOUT = 120;
    static final int IDE_TIMER_IDLE = 0;
    static final int IDE_TIMER_CMD_WAIT = 1;
    static final int IDE_TIMER_RESET_WAIT_BUSY_NEGATE = 2;
    static final int IDE_TIMER_RESET_WAIT_DRDY_ASSERT = 3;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::IdeAddDevice;
        DriverObject.DriverStartIo = this::IdeStartIo;
        DriverObject.DriverUnload = this::IdeUnload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::IdeCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::IdeCreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::IdeReadWrite;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = this::IdeReadWrite;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::IdePnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int IdeAddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, ChannelExtension.class, null, FILE_DEVICE_UNKNOWN, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        ChannelExtension channel = (ChannelExtension) fdo.DeviceExtension;
        channel.Self = fdo;
        channel.LowerDevice = IoAttachDeviceToDeviceStack(fdo, Pdo);
        if (channel.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_DEVICE_NOT_READY;
        }
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int IdeCreateClose(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int IdeReadWrite(DeviceObject DeviceObject, Irp Irp) {
        if (!(DeviceObject.DeviceExtension instanceof IdeDeviceExtension)) {
            Irp.IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_INVALID_DEVICE_REQUEST;
        }
        IdeDeviceExtension disk = (IdeDeviceExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int length = stack.Parameters.Read.Length;
        long offset = stack.Parameters.Read.ByteOffset;
        if (length == 0 || length % IDE_SECTOR_BUF_SZ != 0 || offset % IDE_SECTOR_BUF_SZ != 0
                || offset / IDE_SECTOR_BUF_SZ + length / IDE_SECTOR_BUF_SZ > disk.TotalSectors) {
            int status = length == 0 ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoMarkIrpPending(Irp);
        Out<Integer> key = new Out<>((int) (offset / IDE_SECTOR_BUF_SZ));
        IoStartPacket(DeviceObject, Irp, key, null);
        return STATUS_PENDING;
    }

    // ------------------------------------------------------------------ starting a request

    @Role(DriverStartIo.class)
    void IdeStartIo(DeviceObject DeviceObject, Irp Irp) {
        IdeDeviceExtension disk = (IdeDeviceExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        disk.Operation = stack.MajorFunction;
        disk.BytesRequested = stack.Parameters.Read.Length;
        disk.StartingSector = stack.Parameters.Read.ByteOffset / IDE_SECTOR_BUF_SZ;
        disk.BytesToTransfer = Math.min(disk.BytesRequested, IDE_SECTOR_BUF_SZ * IDE_MAX_SECTORS_PER_XFER);
        disk.BytesRequested -= disk.BytesToTransfer;
        disk.SectorsTransferred = 0;
        disk.TargetBuffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority);
        disk.TargetOffset = 0;
        Out<Integer> oldIrql = new Out<>();
        KeRaiseIrql(DISPATCH_LEVEL, oldIrql);
        IoAllocateController(disk.ControllerObject, DeviceObject, this::IdeAllocateController, null); // expect: StartIoRecursion
        KeLowerIrql(oldIrql.value);
    }

    @Role(DriverControl.class)
    int IdeAllocateController(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        IdeDeviceExtension disk = (IdeDeviceExtension) DeviceObject.DeviceExtension;
        IdeControllerExtension controller = (IdeControllerExtension) disk.ControllerObject.ControllerExtension;
        if (disk.TargetBuffer == null) {
            controller.CurrentIrp = Irp;
            controller.DeviceForOperation = disk;
            Irp.IoStatus.Status = STATUS_INSUFFICIENT_RESOURCES;
            Irp.IoStatus.Information = 0;
            IdeFinishOperation(controller);
            return KeepObject;
        }
        IdeSetupCurrent(controller, disk, Irp);
        if (!KeSynchronizeExecution(controller.Interrupt, this::IdeStartController, disk)) {
            // the drive stayed busy through every retry: the IRP carries the failure
            IdeFinishOperation(controller);
        }
        return KeepObject;
    }

    /** The controller is ours and idle: note which IRP it now works on. */
    private void IdeSetupCurrent(IdeControllerExtension controller, IdeDeviceExtension disk, Irp Irp) {
        controller.CurrentIrp = Irp;
        controller.Retries = 0;
    }

    /** Programs the task file for the current chunk. DIRQL; false means the IRP has failed. */
    @Role(KSynchronizeRoutine.class)
    boolean IdeStartController(Object Context) {
        IdeDeviceExtension disk = (IdeDeviceExtension) Context;
        IdeControllerExtension controller = (IdeControllerExtension) disk.ControllerObject.ControllerExtension;
        long base = controller.CommandPortBase;
        controller.OperationInProgress = true;
        controller.DeviceForOperation = disk;
        if (!IdeWaitNotBusy(base, false)) {
            return IdeRetryOrFail(controller);
        }
        long sector = disk.StartingSector;
        int drvHead = IDE_DH_FIXED | IDE_DH_LBA | (disk.UnitNumber != 0 ? IDE_DH_DRV1 : 0) | (int) ((sector >>> 24) & 0x0f);
        WRITE_PORT_UCHAR(base + IDE_REG_DRV_HEAD, (byte) drvHead);
        if (!IdeWaitNotBusy(base, true)) {
            return IdeRetryOrFail(controller);
        }
        WRITE_PORT_UCHAR(base + IDE_REG_PRECOMP, (byte) 0);
        WRITE_PORT_UCHAR(base + IDE_REG_SECTOR_CNT, (byte) (disk.BytesToTransfer / IDE_SECTOR_BUF_SZ));
        WRITE_PORT_UCHAR(base + IDE_REG_SECTOR_NUM, (byte) sector);
        WRITE_PORT_UCHAR(base + IDE_REG_CYL_LOW, (byte) (sector >>> 8));
        WRITE_PORT_UCHAR(base + IDE_REG_CYL_HIGH, (byte) (sector >>> 16));
        WRITE_PORT_UCHAR(base + IDE_REG_COMMAND, (byte) (disk.Operation == IRP_MJ_READ ? IDE_CMD_READ : IDE_CMD_WRITE));
        controller.TimerState = IDE_TIMER_CMD_WAIT;
        controller.TimerCount = IDE_CMD_TIMEOUT;
        if (disk.Operation == IRP_MJ_WRITE) {
            if (!IdeWaitNotBusy(base, false)) {
                return IdeRetryOrFail(controller);
            }
            IdeWriteSector(base, disk);
        }
        return true;
    }

    private static boolean IdeWaitNotBusy(long base, boolean needReady) {
        for (int retries = 0; retries < IDE_MAX_BUSY_RETRIES; retries++) {
            int status = READ_PORT_UCHAR(base + IDE_REG_STATUS) & 0xff;
            if ((status & IDE_SR_BUSY) == 0 && (!needReady || (status & IDE_SR_DRDY) != 0)) {
                return true;
            }
            KeStallExecutionProcessor(10);
        }
        return false;
    }

    /** Starts a controller reset, or fails the IRP once the retries are used up. DIRQL. */
    private boolean IdeRetryOrFail(IdeControllerExtension controller) {
        if (++controller.Retries > IDE_MAX_CMD_RETRIES) {
            controller.CurrentIrp.IoStatus.Status = STATUS_IO_DEVICE_ERROR;
            controller.CurrentIrp.IoStatus.Information = 0;
            controller.OperationInProgress = false;
            controller.TimerState = IDE_TIMER_IDLE;
            return false;
        }
        IdeBeginControllerReset(controller);
        return true;
    }

    static final int STATUS_IO_DEVICE_ERROR = 0xC0000185;

    private static void IdeBeginControllerReset(IdeControllerExtension controller) {
        WRITE_PORT_UCHAR(controller.ControlPortBase + IDE_REG_DEV_CNTRL, (byte) IDE_DC_SRST);
        for (int retries = 0; retries < 1000; retries++) {
            if ((READ_PORT_UCHAR(controller.CommandPortBase + IDE_REG_STATUS) & IDE_SR_BUSY) != 0) {
                break;
            }
            KeStallExecutionProcessor(10);
        }
        WRITE_PORT_UCHAR(controller.ControlPortBase + IDE_REG_DEV_CNTRL, (byte) 0);
        controller.TimerState = IDE_TIMER_RESET_WAIT_BUSY_NEGATE;
        controller.TimerCount = IDE_RESET_BUSY_TIMEOUT;
    }

    private static void IdeReadSector(long base, IdeDeviceExtension disk) {
        for (int i = 0; i < IDE_SECTOR_BUF_SZ; i += 2) {
            short word = READ_PORT_USHORT(base + IDE_REG_DATA);
            disk.TargetBuffer[disk.TargetOffset + i] = (byte) word;
            disk.TargetBuffer[disk.TargetOffset + i + 1] = (byte) (word >>> 8);
        }
        disk.TargetOffset += IDE_SECTOR_BUF_SZ;
        disk.BytesToTransfer -= IDE_SECTOR_BUF_SZ;
        disk.SectorsTransferred++;
    }

    private static void IdeWriteSector(long base, IdeDeviceExtension disk) {
        for (int i = 0; i < IDE_SECTOR_BUF_SZ; i += 2) {
            int word = (disk.TargetBuffer[disk.TargetOffset + i] & 0xff)
                    | (disk.TargetBuffer[disk.TargetOffset + i + 1] & 0xff) << 8;
            WRITE_PORT_USHORT(base + IDE_REG_DATA, (short) word);
        }
        disk.TargetOffset += IDE_SECTOR_BUF_SZ;
        disk.BytesToTransfer -= IDE_SECTOR_BUF_SZ;
        disk.SectorsTransferred++;
    }

    // ------------------------------------------------------------------ interrupt

    @Role(KServiceRoutine.class)
    boolean IdeIsr(KInterrupt Interrupt, Object ServiceContext) {
        IdeControllerExtension controller = (IdeControllerExtension) ServiceContext;
        long base = controller.CommandPortBase;
        // reading status clears the interrupt, ours or not
        controller.DeviceStatus = READ_PORT_UCHAR(base + IDE_REG_STATUS) & 0xff;
        if (!controller.OperationInProgress) {
            return false;
        }
        IdeDeviceExtension disk = controller.DeviceForOperation;
        boolean chunkDone = false;
        int status = STATUS_SUCCESS;
        if ((controller.DeviceStatus & IDE_SR_ERR) != 0) {
            status = STATUS_DEVICE_DATA_ERROR;
            READ_PORT_UCHAR(base + IDE_REG_ERROR);
        } else if (disk.Operation == IRP_MJ_READ) {
            IdeReadSector(base, disk);
            chunkDone = disk.BytesToTransfer == 0;
        } else if (disk.BytesToTransfer == 0) {
            chunkDone = true;
        } else {
            IdeWriteSector(base, disk);
        }
        if (chunkDone && (READ_PORT_UCHAR(base + IDE_REG_STATUS) & IDE_SR_DRQ) != 0) {
            status = STATUS_DATA_OVERRUN;
        }
        if (status == STATUS_SUCCESS && chunkDone && disk.BytesRequested > 0) {
            // next chunk of a large request: keep the controller and go on
            disk.StartingSector += disk.SectorsTransferred;
            disk.SectorsTransferred = 0;
            disk.BytesToTransfer = Math.min(disk.BytesRequested, IDE_SECTOR_BUF_SZ * IDE_MAX_SECTORS_PER_XFER);
            disk.BytesRequested -= disk.BytesToTransfer;
            IdeStartController(disk);
            return true;
        }
        if (status != STATUS_SUCCESS || chunkDone) {
            Irp irp = controller.CurrentIrp;
            irp.IoStatus.Status = status;
            irp.IoStatus.Information = status == STATUS_SUCCESS ? IoGetCurrentIrpStackLocation(irp).Parameters.Read.Length : 0;
            controller.OperationInProgress = false;
            controller.TimerState = IDE_TIMER_IDLE;
            IoRequestDpc(disk.DeviceObject, irp, controller);
        }
        return true;
    }

    static final int STATUS_DATA_OVERRUN = 0xC000003C;

    @Role(IoDpcRoutine.class)
    void IdeDpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        IdeFinishOperation((IdeControllerExtension) Context);
    }

    @Role(KSynchronizeRoutine.class)
    boolean IdeTakeOperation(Object Context) {
        IdeControllerExtension controller = (IdeControllerExtension) Context;
        controller.OperationInProgress = false;
        controller.DeviceForOperation = null;
        controller.CurrentIrp = null;
        return true;
    }

    /** Finishes the controller's current IRP: flush, free the controller, next packet, complete. */
    private void IdeFinishOperation(IdeControllerExtension controller) {
        IdeDeviceExtension disk = controller.DeviceForOperation;
        Irp irp = controller.CurrentIrp;
        int operation = disk.Operation;
        long nextKey = disk.StartingSector;
        KeSynchronizeExecution(controller.Interrupt, this::IdeTakeOperation, controller);
        if (operation == IRP_MJ_READ && irp.MdlAddress != null) {
            KeFlushIoBuffers(irp.MdlAddress, true, false);
        }
        IoFreeController(disk.ControllerObject);
        IoStartNextPacketByKey(disk.DeviceObject, false, (int) nextKey);
        IoCompleteRequest(irp, IO_DISK_INCREMENT);
    }

    // ------------------------------------------------------------------ timer

    @Role(IoTimerRoutine.class)
    void IdeIoTimer(DeviceObject DeviceObject, Object Context) {
        IdeControllerExtension controller = (IdeControllerExtension) Context;
        IdeControllerExtension.TimerResult result = new IdeControllerExtension.TimerResult();
        result.Controller = controller;
        KeSynchronizeExecution(controller.Interrupt, this::IdeTimerSync, result);
        if (result.Finish) {
            IdeFinishOperation(controller);
        }
    }

    /** One tick of the reset and timeout state machine. DIRQL. */
    @Role(KSynchronizeRoutine.class)
    boolean IdeTimerSync(Object Context) {
        IdeControllerExtension.TimerResult result = (IdeControllerExtension.TimerResult) Context;
        IdeControllerExtension controller = result.Controller;
        int status = READ_PORT_UCHAR(controller.CommandPortBase + IDE_REG_STATUS) & 0xff;
        switch (controller.TimerState) {
            case IDE_TIMER_RESET_WAIT_BUSY_NEGATE:
                if ((status & IDE_SR_BUSY) == 0) {
                    controller.TimerState = IDE_TIMER_RESET_WAIT_DRDY_ASSERT;
                    controller.TimerCount = IDE_RESET_DRDY_TIMEOUT;
                    return true;
                }
                break;
            case IDE_TIMER_RESET_WAIT_DRDY_ASSERT:
                if ((status & IDE_SR_DRDY) != 0) {
                    controller.TimerState = IDE_TIMER_IDLE;
                    controller.TimerCount = 0;
                    if (controller.DeviceForOperation != null && !IdeStartController(controller.DeviceForOperation)) {
                        result.Finish = true;
                    }
                    return true;
                }
                break;
            default:
                break;
        }
        if (controller.TimerCount > 0) {
            controller.TimerCount--;
            return true;
        }
        if (controller.TimerState == IDE_TIMER_IDLE || controller.CurrentIrp == null) {
            return true;
        }
        if (controller.TimerState == IDE_TIMER_CMD_WAIT && ++controller.Retries <= IDE_MAX_CMD_RETRIES) {
            IdeBeginControllerReset(controller);
            return true;
        }
        controller.CurrentIrp.IoStatus.Status = STATUS_IO_TIMEOUT;
        controller.CurrentIrp.IoStatus.Information = 0;
        controller.OperationInProgress = false;
        controller.TimerState = IDE_TIMER_IDLE;
        result.Finish = true;
        return true;
    }

    // ------------------------------------------------------------------ pnp

    @Role(DriverDispatch.class)
    int IdePnp(DeviceObject DeviceObject, Irp Irp) {
        if (!(DeviceObject.DeviceExtension instanceof ChannelExtension)) {
            int status = Irp.IoStatus.Status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        ChannelExtension channel = (ChannelExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE:
                status = IdeForwardAndWait(channel, Irp);
                if (NT_SUCCESS(status)) {
                    status = IdeStartChannel(channel, stack.Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            case IRP_MN_REMOVE_DEVICE:
                IdeStopChannel(channel);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                status = IoCallDriver(channel.LowerDevice, Irp);
                IoDetachDevice(channel.LowerDevice);
                IoDeleteDevice(DeviceObject);
                return status;
            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(channel.LowerDevice, Irp);
        }
    }

    private int IdeForwardAndWait(ChannelExtension channel, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::IdeStartCompletion, event, true, true, true);
        int status = IoCallDriver(channel.LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(event, Executive, KernelMode, false, null);
            status = Irp.IoStatus.Status;
        }
        return status;
    }

    @Role(IoCompletionRoutine.class)
    int IdeStartCompletion(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    /** Creates the controller object and a device object per drive found, then connects the ISR. */
    private int IdeStartChannel(ChannelExtension channel, CmResourceList resources) {
        ControllerObject controllerObject = IoCreateController(IdeControllerExtension.class);
        if (controllerObject == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        IdeControllerExtension controller = (IdeControllerExtension) controllerObject.ControllerExtension;
        controller.Channel = channel.Self;
        int ports = 0;
        boolean haveIrq = false;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypePort) {
                if (ports++ == 0) {
                    controller.CommandPortBase = d.u.Port.Start;
                } else {
                    controller.ControlPortBase = d.u.Port.Start;
                }
            } else if (d.Type == CmResourceTypeInterrupt) {
                controller.Vector = d.u.Interrupt.Vector;
                controller.Irql = d.u.Interrupt.Level;
                controller.Affinity = d.u.Interrupt.Affinity;
                haveIrq = true;
            }
        }
        if (ports < 2 || !haveIrq) {
            IoDeleteController(controllerObject);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        int found = 0;
        for (int unit = 0; unit < 2; unit++) {
            long sectors = IdeIdentify(controller, unit);
            if (sectors <= 0) {
                continue;
            }
            Out<DeviceObject> created = new Out<>();
            int status = IoCreateDevice(channel.Self.DriverObject, IdeDeviceExtension.class, null, FILE_DEVICE_DISK, 0,
                    false, created);
            if (!NT_SUCCESS(status)) {
                continue;
            }
            DeviceObject diskObject = created.value;
            IdeDeviceExtension disk = (IdeDeviceExtension) diskObject.DeviceExtension;
            disk.DeviceObject = diskObject;
            disk.ControllerObject = controllerObject;
            disk.UnitNumber = unit;
            disk.TotalSectors = sectors;
            IoInitializeDpcRequest(diskObject, this::IdeDpcForIsr);
            diskObject.Flags |= DO_DIRECT_IO;
            diskObject.Flags &= ~DO_DEVICE_INITIALIZING;
            channel.Disks[unit] = diskObject;
            found++;
        }
        if (found == 0) {
            IoDeleteController(controllerObject);
            return STATUS_DEVICE_NOT_READY;
        }
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::IdeIsr, controller, null, controller.Vector, controller.Irql,
                controller.Irql, Latched, false, controller.Affinity, false);
        if (!NT_SUCCESS(status)) {
            IdeDeleteDisks(channel);
            IoDeleteController(controllerObject);
            return status;
        }
        controller.Interrupt = interrupt.value;
        channel.Controller = controllerObject;
        status = IoInitializeTimer(channel.Self, this::IdeIoTimer, controller);
        if (NT_SUCCESS(status)) {
            IoStartTimer(channel.Self);
        }
        return STATUS_SUCCESS;
    }

    /** IDENTIFY DEVICE by polling, before the interrupt is connected; returns the sector count. */
    private long IdeIdentify(IdeControllerExtension controller, int unit) {
        long base = controller.CommandPortBase;
        WRITE_PORT_UCHAR(base + IDE_REG_DRV_HEAD, (byte) (IDE_DH_FIXED | (unit != 0 ? IDE_DH_DRV1 : 0)));
        if (!IdeWaitNotBusy(base, true)) {
            return 0;
        }
        WRITE_PORT_UCHAR(base + IDE_REG_COMMAND, (byte) IDE_CMD_IDENT_ATA_DRV);
        for (int i = 0; (READ_PORT_UCHAR(base + IDE_REG_STATUS) & IDE_SR_DRQ) == 0; i++) {
            if (i == 10000) {
                return 0;
            }
            KeStallExecutionProcessor(10);
        }
        short[] words = new short[256];
        for (int i = 0; i < words.length; i++) {
            words[i] = READ_PORT_USHORT(base + IDE_REG_DATA);
        }
        return (words[60] & 0xffffL) | (words[61] & 0xffffL) << 16;
    }

    private void IdeDeleteDisks(ChannelExtension channel) {
        for (int unit = 0; unit < 2; unit++) {
            if (channel.Disks[unit] != null) {
                IoDeleteDevice(channel.Disks[unit]);
                channel.Disks[unit] = null;
            }
        }
    }

    private void IdeStopChannel(ChannelExtension channel) {
        if (channel.Controller == null) {
            return;
        }
        IdeControllerExtension controller = (IdeControllerExtension) channel.Controller.ControllerExtension;
        IoStopTimer(channel.Self);
        IoDisconnectInterrupt(controller.Interrupt);
        controller.Interrupt = null;
        IdeDeleteDisks(channel);
        IoDeleteController(channel.Controller);
        channel.Controller = null;
    }

    @Role(DriverUnload.class)
    void IdeUnload(DriverObject DriverObject) {
    }
}
