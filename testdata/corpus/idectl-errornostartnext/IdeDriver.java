package corpus.idectlerrornostartnext;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A legacy (non-PnP) ATA disk driver for one channel with up to two drives. The channel is a
 * controller object: each drive's StartIo asks for it with IoAllocateController, the
 * ControllerControl routine programs the task-file registers through a SynchCritSection, and the
 * ISR moves one sector per interrupt by programmed I/O, chains the next chunk of a long request,
 * and queues the DpcForIsr of the drive it worked for when the request is done or failed. The DPC
 * frees the controller, starts the next packet by sector key and completes. An IoTimer on the first
 * drive watches for commands that never interrupt and for a reset that never ends.
 * Re-expressed from: reactos/reactos/reactos/drivers/dd/ide/ide.c (structure and facts, not code).
 */
public final class IdeDriver {
    // task-file registers, offsets from the command block
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
    static final int IDE_MAX_DRIVES = 2;
    static final int IDE_MAX_SECTORS_PER_XFER = 256;
    static final int IDE_SECTOR_BUF_SZ = 512;
    static final int IDE_MAX_BUSY_RETRIES = 1000;
    static final int IDE_MAX_CMD_RETRIES = 4;
    static final int IDE_CMD_TIMEOUT = 5;
    static final int IDE_RESET_BUSY_TIMEOUT = 31;
    static final int IDE_RESET_DRDY_TIMEOUT = 120;
    // watchdog states
    static final int IDETimerIdle = 0;
    static final int IDETimerCmdWait = 1;
    static final int IDETimerResetWaitForBusyNegate = 2;
    static final int IDETimerResetWaitForDrdyAssert = 3;
    // what CheckTimer decided, acted on at DISPATCH_LEVEL
    static final int TIMER_NOTHING = 0;
    static final int TIMER_FINISH = 1;

    /** Set once DriverEntry is done; the ISR ignores interrupts before that. */
    static boolean IDEInitialized;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverStartIo = this::StartIo;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::DispatchOpenClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::DispatchOpenClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::DispatchReadWrite;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = this::DispatchReadWrite;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = this::DispatchDeviceControl;
        boolean gotDisks = CreateController(DriverObject, 0, 0x1f0, 0x3f6, 14);
        if (gotDisks) {
            IDEInitialized = true;
        }
        return gotDisks ? STATUS_SUCCESS : STATUS_DEVICE_NOT_READY;
    }

    /** Creates the controller object, connects its interrupt and creates a device object per drive found. */
    private boolean CreateController(DriverObject DriverObject, int index, long commandPort, long controlPort,
            int vector) {
        if (!ResetController(commandPort, controlPort)) {
            return false;
        }
        ControllerObject controller = IoCreateController(IdeControllerExtension.class);
        if (controller == null) {
            return false;
        }
        IdeControllerExtension ctrl = (IdeControllerExtension) controller.ControllerExtension;
        ctrl.Number = index;
        ctrl.CommandPortBase = commandPort;
        ctrl.ControlPortBase = controlPort;
        ctrl.Vector = vector;
        ctrl.OperationInProgress = false;
        KeInitializeSpinLock(ctrl.SpinLock);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::Isr, ctrl, ctrl.SpinLock, vector, 5, 5, LevelSensitive,
                false, 0xffff, false);
        if (!NT_SUCCESS(status)) {
            IoDeleteController(controller);
            return false;
        }
        ctrl.Interrupt = interrupt.value;

        boolean createdDevices = false;
        for (int drive = 0; drive < IDE_MAX_DRIVES; drive++) {
            if (CreateDevice(DriverObject, controller, ctrl, drive, index * 2 + drive)) {
                createdDevices = true;
            }
        }
        if (!createdDevices) {
            IoDisconnectInterrupt(ctrl.Interrupt);
            IoDeleteController(controller);
        } else {
            IoStartTimer(ctrl.TimerDevice);
        }
        return createdDevices;
    }

    private boolean ResetController(long commandPort, long controlPort) {
        WRITE_PORT_UCHAR(controlPort, (byte) IDE_DC_SRST);
        KeStallExecutionProcessor(25);
        WRITE_PORT_UCHAR(controlPort, (byte) 0);
        for (int retries = 0; retries < IDE_RESET_BUSY_TIMEOUT * 1000; retries++) {
            if ((READ_PORT_UCHAR(commandPort + IDE_REG_STATUS) & IDE_SR_BUSY) == 0) {
                return READ_PORT_UCHAR(commandPort + IDE_REG_ERROR) == 1;
            }
            KeStallExecutionProcessor(10);
        }
        return false;
    }

    /** Identifies one drive and creates its raw device object; false when no drive answers. */
    private boolean CreateDevice(DriverObject DriverObject, ControllerObject controller, IdeControllerExtension ctrl,
            int unit, int diskNumber) {
        WRITE_PORT_UCHAR(ctrl.CommandPortBase + IDE_REG_DRV_HEAD, (byte) (IDE_DH_FIXED | (unit != 0 ? IDE_DH_DRV1 : 0)));
        if ((READ_PORT_UCHAR(ctrl.CommandPortBase + IDE_REG_STATUS) & IDE_SR_DRDY) == 0) {
            return false;
        }
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, IdeDeviceExtension.class,
                new UnicodeString("\\Device\\Harddisk" + diskNumber + "\\Partition0"), FILE_DEVICE_DISK, 0, true,
                created);
        if (!NT_SUCCESS(status)) {
            return false;
        }
        DeviceObject device = created.value;
        IdeDeviceExtension ext = (IdeDeviceExtension) device.DeviceExtension;
        device.Flags |= DO_DIRECT_IO;
        ext.DeviceObject = device;
        ext.ControllerObject = controller;
        ext.UnitNumber = unit;
        ext.LBASupported = true;
        ext.BytesPerSector = IDE_SECTOR_BUF_SZ;
        ext.SectorsPerLogTrk = 63;
        ext.LogicalHeads = 16;
        ext.Size = 4096;
        IoInitializeDpcRequest(device, this::DpcForIsr);
        // a request that fails in ControllerControl starts the next one from inside StartIo's call
        IoSetStartIoAttributes(device, true, false);
        if (ctrl.TimerDevice == null) {
            ctrl.TimerDevice = device;
            IoInitializeTimer(device, this::IoTimer, ctrl);
        }
        return true;
    }

    @Role(DriverDispatch.class)
    int DispatchOpenClose(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int DispatchReadWrite(DeviceObject DeviceObject, Irp Irp) {
        IdeDeviceExtension ext = (IdeDeviceExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        IoStackLocation.ReadWrite rw = stack.MajorFunction == IRP_MJ_READ ? stack.Parameters.Read
                : stack.Parameters.Write;
        if (rw.Length == 0 || rw.Length % ext.BytesPerSector != 0 || rw.ByteOffset % ext.BytesPerSector != 0
                || rw.ByteOffset + rw.Length > ext.Size * ext.BytesPerSector) {
            Irp.IoStatus.Status = STATUS_INVALID_PARAMETER;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_INVALID_PARAMETER;
        }
        // requests are sorted by starting sector in the device queue
        Out<Integer> key = new Out<>((int) (rw.ByteOffset >> 9));
        IoMarkIrpPending(Irp);
        IoStartPacket(DeviceObject, Irp, key, null);
        return STATUS_PENDING;
    }

    @Role(DriverDispatch.class)
    int DispatchDeviceControl(DeviceObject DeviceObject, Irp Irp) {
        IdeDeviceExtension ext = (IdeDeviceExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int rc;
        // IOCTL_DISK_GET_DRIVE_GEOMETRY is the only request answered
        if (stack.Parameters.DeviceIoControl.IoControlCode == 0x00070000) {
            if (stack.Parameters.DeviceIoControl.OutputBufferLength < 24) {
                rc = STATUS_INVALID_PARAMETER;
                Irp.IoStatus.Information = 0;
            } else {
                byte[] geometry = Irp.AssociatedIrp.SystemBuffer;
                RtlZeroMemory(geometry, 0, 24);
                geometry[12] = (byte) ext.LogicalHeads;
                geometry[16] = (byte) ext.SectorsPerLogTrk;
                geometry[20] = (byte) ext.BytesPerSector;
                geometry[21] = (byte) (ext.BytesPerSector >> 8);
                rc = STATUS_SUCCESS;
                Irp.IoStatus.Information = 24;
            }
        } else {
            rc = STATUS_INVALID_DEVICE_REQUEST;
            Irp.IoStatus.Information = 0;
        }
        Irp.IoStatus.Status = rc;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return rc;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        IdeDeviceExtension ext = (IdeDeviceExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        ext.Operation = stack.MajorFunction;
        ext.BytesRequested = stack.Parameters.Read.Length;
        ext.StartingSector = (int) (stack.Parameters.Read.ByteOffset >> 9);
        if (ext.BytesRequested > ext.BytesPerSector * IDE_MAX_SECTORS_PER_XFER) {
            ext.BytesToTransfer = ext.BytesPerSector * IDE_MAX_SECTORS_PER_XFER;
        } else {
            ext.BytesToTransfer = ext.BytesRequested;
        }
        ext.BytesRequested -= ext.BytesToTransfer;
        ext.SectorsTransferred = 0;
        ext.TargetBuffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority);
        ext.TargetOffset = 0;
        Out<Integer> oldIrql = new Out<>();
        KeRaiseIrql(DISPATCH_LEVEL, oldIrql);
        IoAllocateController(ext.ControllerObject, DeviceObject, this::AllocateController, null);
        KeLowerIrql(oldIrql.value);
    }

    @Role(DriverControl.class)
    int AllocateController(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        IdeDeviceExtension ext = (IdeDeviceExtension) DeviceObject.DeviceExtension;
        IdeControllerExtension ctrl = (IdeControllerExtension) ext.ControllerObject.ControllerExtension;
        ctrl.CurrentIrp = Irp;
        ctrl.Retries = 0;
        if (!KeSynchronizeExecution(ctrl.Interrupt, this::StartController, ext)) {
            // the drive never became ready: give the request back now (this frees the controller)
            FinishOperation(ctrl);
        }
        return KeepObject;
    }

    /** Programs the task file for the next chunk of the request. Runs at DIRQL holding the interrupt spin lock. */
    @Role(KSynchronizeRoutine.class)
    boolean StartController(Object Context) {
        IdeDeviceExtension ext = (IdeDeviceExtension) Context;
        IdeControllerExtension ctrl = (IdeControllerExtension) ext.ControllerObject.ControllerExtension;
        ctrl.OperationInProgress = true;
        ctrl.DeviceForOperation = ext;

        int startingSector = ext.StartingSector;
        int sectorCnt = ext.BytesToTransfer / ext.BytesPerSector;
        int sectorNum;
        int cylinderLow;
        int cylinderHigh;
        int drvHead;
        if (ext.LBASupported) {
            sectorNum = startingSector & 0xff;
            cylinderLow = (startingSector >> 8) & 0xff;
            cylinderHigh = (startingSector >> 16) & 0xff;
            drvHead = ((startingSector >> 24) & 0x0f) | (ext.UnitNumber != 0 ? IDE_DH_DRV1 : 0) | IDE_DH_LBA;
        } else {
            sectorNum = startingSector % ext.SectorsPerLogTrk + 1;
            startingSector /= ext.SectorsPerLogTrk;
            drvHead = (startingSector % ext.LogicalHeads) | (ext.UnitNumber != 0 ? IDE_DH_DRV1 : 0);
            startingSector /= ext.LogicalHeads;
            cylinderLow = startingSector & 0xff;
            cylinderHigh = startingSector >> 8;
        }
        int command = ext.Operation == IRP_MJ_READ ? IDE_CMD_READ : IDE_CMD_WRITE;

        if (!WaitForStatus(ctrl, IDE_SR_BUSY, 0)) {
            return RetryOrFail(ctrl);
        }
        WRITE_PORT_UCHAR(ctrl.CommandPortBase + IDE_REG_DRV_HEAD, (byte) (IDE_DH_FIXED | drvHead));
        if (!WaitForStatus(ctrl, IDE_SR_BUSY | IDE_SR_DRDY, IDE_SR_DRDY)) {
            return RetryOrFail(ctrl);
        }
        long port = ctrl.CommandPortBase;
        WRITE_PORT_UCHAR(port + IDE_REG_PRECOMP, (byte) 0);
        WRITE_PORT_UCHAR(port + IDE_REG_SECTOR_CNT, (byte) sectorCnt);
        WRITE_PORT_UCHAR(port + IDE_REG_SECTOR_NUM, (byte) sectorNum);
        WRITE_PORT_UCHAR(port + IDE_REG_CYL_HIGH, (byte) cylinderHigh);
        WRITE_PORT_UCHAR(port + IDE_REG_CYL_LOW, (byte) cylinderLow);
        WRITE_PORT_UCHAR(port + IDE_REG_DRV_HEAD, (byte) (IDE_DH_FIXED | drvHead));
        WRITE_PORT_UCHAR(port + IDE_REG_COMMAND, (byte) command);
        ctrl.TimerState = IDETimerCmdWait;
        ctrl.TimerCount = IDE_CMD_TIMEOUT;

        if (ext.Operation == IRP_MJ_WRITE) {
            // a write interrupts only after the first sector is in the drive's buffer
            if (!WaitForStatus(ctrl, IDE_SR_BUSY, 0)) {
                return RetryOrFail(ctrl);
            }
            WriteBlock(ctrl, ext);
        }
        return true;
    }

    /** Polls the status register until (status & mask) == value; false after IDE_MAX_BUSY_RETRIES. */
    private boolean WaitForStatus(IdeControllerExtension ctrl, int mask, int value) {
        for (int retries = 0; retries < IDE_MAX_BUSY_RETRIES; retries++) {
            if ((READ_PORT_UCHAR(ctrl.CommandPortBase + IDE_REG_STATUS) & mask) == value) {
                return true;
            }
            KeStallExecutionProcessor(10);
        }
        return false;
    }

    /** The drive did not respond: reset and let the watchdog restart the command, or fail the request. */
    private boolean RetryOrFail(IdeControllerExtension ctrl) {
        if (++ctrl.Retries > IDE_MAX_CMD_RETRIES) {
            Irp irp = ctrl.CurrentIrp;
            irp.IoStatus.Status = STATUS_DEVICE_NOT_READY;
            irp.IoStatus.Information = 0;
            ctrl.OperationInProgress = false;
            return false;
        }
        BeginControllerReset(ctrl);
        return true;
    }

    /** Pulses the reset line and hands the rest to the watchdog. Runs at DIRQL. */
    private void BeginControllerReset(IdeControllerExtension ctrl) {
        WRITE_PORT_UCHAR(ctrl.ControlPortBase, (byte) IDE_DC_SRST);
        KeStallExecutionProcessor(25);
        WRITE_PORT_UCHAR(ctrl.ControlPortBase, (byte) 0);
        ctrl.TimerState = IDETimerResetWaitForBusyNegate;
        ctrl.TimerCount = IDE_RESET_BUSY_TIMEOUT;
    }

    private void WriteBlock(IdeControllerExtension ctrl, IdeDeviceExtension ext) {
        for (int i = 0; i < IDE_SECTOR_BUF_SZ; i += 2) {
            int word = (ext.TargetBuffer[ext.TargetOffset + i] & 0xff)
                    | (ext.TargetBuffer[ext.TargetOffset + i + 1] & 0xff) << 8;
            WRITE_PORT_USHORT(ctrl.CommandPortBase + IDE_REG_DATA, (short) word);
        }
        ext.TargetOffset += IDE_SECTOR_BUF_SZ;
        ext.BytesToTransfer -= ext.BytesPerSector;
        ext.SectorsTransferred++;
    }

    private void ReadBlock(IdeControllerExtension ctrl, IdeDeviceExtension ext) {
        for (int i = 0; i < IDE_SECTOR_BUF_SZ; i += 2) {
            short word = READ_PORT_USHORT(ctrl.CommandPortBase + IDE_REG_DATA);
            ext.TargetBuffer[ext.TargetOffset + i] = (byte) word;
            ext.TargetBuffer[ext.TargetOffset + i + 1] = (byte) (word >> 8);
        }
        ext.TargetOffset += IDE_SECTOR_BUF_SZ;
        ext.BytesToTransfer -= ext.BytesPerSector;
        ext.SectorsTransferred++;
    }

    /** Moves the finished chunk's bookkeeping on to the next chunk; false when the request is done. */
    private boolean SetupNextChunk(IdeDeviceExtension ext) {
        if (ext.BytesRequested == 0) {
            return false;
        }
        ext.StartingSector += ext.SectorsTransferred;
        ext.SectorsTransferred = 0;
        ext.BytesToTransfer = Math.min(ext.BytesRequested, ext.BytesPerSector * IDE_MAX_SECTORS_PER_XFER);
        ext.BytesRequested -= ext.BytesToTransfer;
        return true;
    }

    @Role(KServiceRoutine.class)
    boolean Isr(KInterrupt Interrupt, Object ServiceContext) {
        if (!IDEInitialized) {
            return false;
        }
        IdeControllerExtension ctrl = (IdeControllerExtension) ServiceContext;
        // reading the status acknowledges the interrupt, ours or not
        ctrl.DeviceStatus = READ_PORT_UCHAR(ctrl.CommandPortBase + IDE_REG_STATUS);
        if (!ctrl.OperationInProgress) {
            return false;
        }
        IdeDeviceExtension ext = ctrl.DeviceForOperation;
        boolean isLastBlock = false;
        boolean requestIsComplete = false;
        int errorStatus = STATUS_SUCCESS;
        long errorInformation = 0;

        if ((ctrl.DeviceStatus & IDE_SR_ERR) != 0) {
            errorStatus = STATUS_DEVICE_DATA_ERROR;
            errorInformation = (long) ext.SectorsTransferred * ext.BytesPerSector;
            requestIsComplete = true;
        } else if (ext.Operation == IRP_MJ_READ) {
            ReadBlock(ctrl, ext);
            isLastBlock = ext.BytesToTransfer == 0;
            if (isLastBlock) {
                if (!WaitForStatus(ctrl, IDE_SR_BUSY, 0)
                        || (READ_PORT_UCHAR(ctrl.CommandPortBase + IDE_REG_STATUS) & IDE_SR_DRQ) != 0) {
                    errorStatus = STATUS_DEVICE_DATA_ERROR;
                    requestIsComplete = true;
                } else if (!SetupNextChunk(ext)) {
                    requestIsComplete = true;
                    errorInformation = ext.TargetOffset;
                }
            }
        } else if (ext.BytesToTransfer == 0) {
            // the last sector of this chunk was written
            isLastBlock = true;
            if ((READ_PORT_UCHAR(ctrl.CommandPortBase + IDE_REG_STATUS) & IDE_SR_DRQ) != 0) {
                errorStatus = STATUS_DEVICE_DATA_ERROR;
                requestIsComplete = true;
            } else if (!SetupNextChunk(ext)) {
                requestIsComplete = true;
                errorInformation = ext.TargetOffset;
            }
        } else {
            WriteBlock(ctrl, ext);
        }

        if (requestIsComplete) {
            Irp irp = ctrl.CurrentIrp;
            irp.IoStatus.Status = errorStatus;
            irp.IoStatus.Information = errorInformation;
            ctrl.OperationInProgress = false;
            ctrl.DeviceStatus = 0;
            ctrl.TimerState = IDETimerIdle;
            IoRequestDpc(ext.DeviceObject, irp, ctrl);
        } else if (isLastBlock) {
            StartController(ext);
        }
        return true;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        FinishOperation((IdeControllerExtension) Context);
    } // expect: DpcMissingStartNext

    /** Releases the channel, starts the drive's next request and completes this one. Runs at DISPATCH_LEVEL. */
    private void FinishOperation(IdeControllerExtension ctrl) {
        IdeDeviceExtension ext = ctrl.DeviceForOperation;
        Irp irp = ctrl.CurrentIrp;
        int operation = ext.Operation;
        int key = ext.StartingSector;
        ctrl.DeviceForOperation = null;
        ctrl.CurrentIrp = null;
        if (operation == IRP_MJ_READ) {
            KeFlushIoBuffers(irp.MdlAddress, true, false);
        }
        IoFreeController(ext.ControllerObject);
        if (!NT_SUCCESS(irp.IoStatus.Status)) {
            // a failed request goes back first, so the caller can retry it before the drive moves on
            IoCompleteRequest(irp, IO_DISK_INCREMENT);
            return;
        }
        IoStartNextPacketByKey(ext.DeviceObject, false, key);
        IoCompleteRequest(irp, IO_DISK_INCREMENT);
    }

    @Role(IoTimerRoutine.class)
    void IoTimer(DeviceObject DeviceObject, Object Context) {
        IdeControllerExtension ctrl = (IdeControllerExtension) Context;
        if (KeSynchronizeExecution(ctrl.Interrupt, this::CheckTimer, ctrl) && ctrl.CurrentIrp != null) {
            FinishOperation(ctrl);
        }
    }

    /** One watchdog tick; true when the current request must be given up. Runs at DIRQL. */
    @Role(KSynchronizeRoutine.class)
    boolean CheckTimer(Object Context) {
        IdeControllerExtension ctrl = (IdeControllerExtension) Context;
        long port = ctrl.CommandPortBase;
        switch (ctrl.TimerState) {
            case IDETimerResetWaitForBusyNegate:
                if ((READ_PORT_UCHAR(port + IDE_REG_STATUS) & IDE_SR_BUSY) == 0) {
                    ctrl.TimerState = IDETimerResetWaitForDrdyAssert;
                    ctrl.TimerCount = IDE_RESET_DRDY_TIMEOUT;
                    return false;
                }
                break;
            case IDETimerResetWaitForDrdyAssert:
                if ((READ_PORT_UCHAR(port + IDE_REG_STATUS) & IDE_SR_DRDY) != 0) {
                    ctrl.TimerState = IDETimerIdle;
                    ctrl.TimerCount = 0;
                    // reset is over: issue the current command again
                    return ctrl.DeviceForOperation != null && !StartController(ctrl.DeviceForOperation);
                }
                break;
            default:
                break;
        }
        if (ctrl.TimerCount > 0) {
            ctrl.TimerCount--;
            return false;
        }
        switch (ctrl.TimerState) {
            case IDETimerCmdWait:
                if (++ctrl.Retries > IDE_MAX_CMD_RETRIES) {
                    return GiveUp(ctrl);
                }
                BeginControllerReset(ctrl);
                return false;
            case IDETimerResetWaitForBusyNegate:
            case IDETimerResetWaitForDrdyAssert:
                return GiveUp(ctrl);
            default:
                return false;
        }
    }

    private boolean GiveUp(IdeControllerExtension ctrl) {
        ctrl.TimerState = IDETimerIdle;
        ctrl.TimerCount = 0;
        ctrl.OperationInProgress = false;
        if (ctrl.CurrentIrp == null) {
            return false;
        }
        ctrl.CurrentIrp.IoStatus.Status = STATUS_IO_TIMEOUT;
        ctrl.CurrentIrp.IoStatus.Information = 0;
        return true;
    }
}
