package corpus.pcwatchdog;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * Berkshire-style ISA watchdog card. While the device is open a periodic timer pings the card every
 * half second, but only as long as the application keeps sending keepalives (a write or an IOCTL)
 * within the heartbeat; when they stop, the pings stop and the card resets the machine. Closing
 * stops the card only after the magic character 'V' was written. Revision A cards are pinged by
 * setting WDRST in register 1, revision C cards by any write to register 0; revision C cards are
 * enabled and disabled through register 3 and report trip status in register 1.
 * Re-expressed from: torvalds/linux/drivers/watchdog/pcwd.c (structure and facts, not code).
 */
@HardwareId("SIM\\PCWD")
public final class PcWatchdogDriver {
    static final int PCWD_REVISION_A = 1;
    static final int PCWD_REVISION_C = 2;
    static final int WD_WDRST = 0x01;
    static final int WD_T110 = 0x02;
    static final int WD_HRTBT = 0x04;
    static final int WD_WDIS = 0x10;
    static final int WD_REVC_WTRP = 0x01;
    static final int WD_REVC_TTRP = 0x04;
    static final int WD_REVC_R2DS = 0x40;
    static final int WDIOF_OVERHEAT = 0x0001;
    static final int WDIOF_CARDRESET = 0x0020;
    static final int WDIOS_DISABLECARD = 0x0001;
    static final int WDIOS_ENABLECARD = 0x0002;
    static final int WDIOS_TEMPPANIC = 0x0004;
    static final int ISA_COMMAND_TIMEOUT_US = 1000;
    static final int WDT_INTERVAL_MS = 500;
    static final int WATCHDOG_HEARTBEAT = 60;
    static final int PCWD_HEARTBEAT_LOST = 0xC0080001;

    static final int IOCTL_WDIOC_GETSTATUS = 0x00220401;
    static final int IOCTL_WDIOC_GETBOOTSTATUS = 0x00220402;
    static final int IOCTL_WDIOC_GETTEMP = 0x00220403;
    static final int IOCTL_WDIOC_SETOPTIONS = 0x00220404;
    static final int IOCTL_WDIOC_KEEPALIVE = 0x00220405;
    static final int IOCTL_WDIOC_SETTIMEOUT = 0x00220406;
    static final int IOCTL_WDIOC_GETTIMEOUT = 0x00220407;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::WdAddDevice;
        DriverObject.DriverUnload = this::WdUnload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::WdOpen;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::WdClose;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = this::WdWrite;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = this::WdIoctl;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::WdPnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int WdAddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, WatchdogExtension.class, null, FILE_DEVICE_UNKNOWN, 0, true, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        WatchdogExtension ext = (WatchdogExtension) fdo.DeviceExtension;
        ext.Self = fdo;
        ext.Heartbeat = WATCHDOG_HEARTBEAT;
        KeInitializeSpinLock(ext.IoLock);
        KeInitializeTimerEx(ext.PingTimer, NotificationTimer);
        KeInitializeDpc(ext.PingDpc, this::WdTimerPing, ext);
        ext.LowerDevice = IoAttachDeviceToDeviceStack(fdo, Pdo);
        if (ext.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_DEVICE_NOT_READY;
        }
        fdo.Flags |= DO_BUFFERED_IO;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    // ------------------------------------------------------------------ card operations

    @Role(KDeferredRoutine.class)
    void WdTimerPing(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        WatchdogExtension ext = (WatchdogExtension) DeferredContext;
        boolean logLoss = false;
        KeAcquireSpinLockAtDpcLevel(ext.IoLock);
        if (ext.TicksLeft > 0) {
            ext.TicksLeft--;
            if (ext.Revision == PCWD_REVISION_A) {
                int wdrst = READ_PORT_UCHAR(ext.IoAddr) & 0x0f;
                WRITE_PORT_UCHAR(ext.IoAddr + 1, (byte) (wdrst | WD_WDRST));
            } else {
                WRITE_PORT_UCHAR(ext.IoAddr, (byte) 0);
            }
        } else if (!ext.HeartbeatLostLogged) {
            ext.HeartbeatLostLogged = true;
            logLoss = true;
        }
        KeReleaseSpinLockFromDpcLevel(ext.IoLock);
        if (logLoss) {
            WdLogEvent(ext, PCWD_HEARTBEAT_LOST);
        }
    }

    private void WdLogEvent(WatchdogExtension ext, int code) {
        IoErrorLogPacket entry = IoAllocateErrorLogEntry(ext.Self, 48);
        if (entry == null) {
            return;
        }
        entry.ErrorCode = code;
        entry.UniqueErrorValue = ext.Heartbeat;
        entry.FinalStatus = STATUS_SUCCESS;
        IoWriteErrorLogEntry(entry);
    }

    /** Enables the card (revision C) and starts the ping timer. PASSIVE_LEVEL. */
    private int WdStart(WatchdogExtension ext) {
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(ext.IoLock, oldIrql);
        ext.TicksLeft = ext.Heartbeat * 1000 / WDT_INTERVAL_MS;
        ext.HeartbeatLostLogged = false;
        int status = STATUS_SUCCESS;
        if (ext.Revision == PCWD_REVISION_C) {
            WRITE_PORT_UCHAR(ext.IoAddr + 3, (byte) 0);
            KeStallExecutionProcessor(ISA_COMMAND_TIMEOUT_US);
            int stat = READ_PORT_UCHAR(ext.IoAddr + 2) & 0xff;
            if ((stat & WD_WDIS) != 0) {
                status = STATUS_UNSUCCESSFUL;
            }
        }
        if (NT_SUCCESS(status)) {
            ext.Running = true;
        }
        KeReleaseSpinLock(ext.IoLock, oldIrql.value);
        if (NT_SUCCESS(status)) {
            KeSetTimerEx(ext.PingTimer, -10_000L * WDT_INTERVAL_MS, WDT_INTERVAL_MS, ext.PingDpc);
        }
        return status;
    }

    /** Stops the ping timer and disables the card (revision C writes 0xA5 twice). */
    private int WdStop(WatchdogExtension ext) {
        KeCancelTimer(ext.PingTimer);
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(ext.IoLock, oldIrql);
        ext.Running = false;
        int status = STATUS_SUCCESS;
        if (ext.Revision == PCWD_REVISION_C) {
            WRITE_PORT_UCHAR(ext.IoAddr + 3, (byte) 0xA5);
            KeStallExecutionProcessor(ISA_COMMAND_TIMEOUT_US);
            WRITE_PORT_UCHAR(ext.IoAddr + 3, (byte) 0xA5);
            KeStallExecutionProcessor(ISA_COMMAND_TIMEOUT_US);
            if ((READ_PORT_UCHAR(ext.IoAddr + 2) & WD_WDIS) == 0) {
                status = STATUS_UNSUCCESSFUL;
            }
        }
        KeReleaseSpinLock(ext.IoLock, oldIrql.value);
        return status;
    }

    /** The application's ping: the timer may go on pinging the card for another heartbeat. */
    private void WdKeepalive(WatchdogExtension ext) {
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(ext.IoLock, oldIrql);
        ext.TicksLeft = ext.Heartbeat * 1000 / WDT_INTERVAL_MS;
        ext.HeartbeatLostLogged = false;
        KeReleaseSpinLock(ext.IoLock, oldIrql.value);
    }

    private int WdGetStatus(WatchdogExtension ext) {
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(ext.IoLock, oldIrql);
        int control = ext.Revision == PCWD_REVISION_A ? READ_PORT_UCHAR(ext.IoAddr) & 0xff
                : READ_PORT_UCHAR(ext.IoAddr + 1) & 0xff;
        KeReleaseSpinLock(ext.IoLock, oldIrql.value);
        int status = 0;
        if (ext.Revision == PCWD_REVISION_A) {
            if ((control & WD_WDRST) != 0) {
                status |= WDIOF_CARDRESET;
            }
            if ((control & WD_T110) != 0) {
                status |= WDIOF_OVERHEAT;
            }
        } else {
            if ((control & WD_REVC_WTRP) != 0) {
                status |= WDIOF_CARDRESET;
            }
            if ((control & WD_REVC_TTRP) != 0) {
                status |= WDIOF_OVERHEAT;
            }
        }
        return status;
    }

    /** Reads the temperature in Fahrenheit, or returns -1 when the card cannot tell. */
    private int WdGetTemperature(WatchdogExtension ext) {
        if (ext.CommandMode || !ext.SupportsTemp) {
            return -1;
        }
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(ext.IoLock, oldIrql);
        int celsius = READ_PORT_UCHAR(ext.IoAddr) & 0xff;
        KeReleaseSpinLock(ext.IoLock, oldIrql.value);
        return celsius * 9 / 5 + 32;
    }

    // ------------------------------------------------------------------ dispatch

    @Role(DriverDispatch.class)
    int WdOpen(DeviceObject DeviceObject, Irp Irp) {
        WatchdogExtension ext = (WatchdogExtension) DeviceObject.DeviceExtension;
        int status;
        if (ext.IoAddr == 0) {
            status = STATUS_DEVICE_NOT_READY;
        } else if (ext.Open) {
            status = STATUS_DEVICE_BUSY;
        } else {
            status = WdStart(ext);
            if (NT_SUCCESS(status)) {
                ext.Open = true;
                WdKeepalive(ext);
            }
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    @Role(DriverDispatch.class)
    int WdClose(DeviceObject DeviceObject, Irp Irp) {
        WatchdogExtension ext = (WatchdogExtension) DeviceObject.DeviceExtension;
        if (ext.ExpectClose) {
            WdStop(ext);
        } else {
            // unexpected close: keep pinging until the heartbeat runs out, then let the card fire
            WdKeepalive(ext);
        }
        ext.ExpectClose = false;
        ext.Open = false;
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int WdWrite(DeviceObject DeviceObject, Irp Irp) {
        WatchdogExtension ext = (WatchdogExtension) DeviceObject.DeviceExtension;
        int length = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
        if (length > 0) {
            byte[] data = Irp.AssociatedIrp.SystemBuffer;
            ext.ExpectClose = false;
            for (int i = 0; i < length; i++) {
                if (data[i] == 'V') {
                    ext.ExpectClose = true;
                }
            }
            WdKeepalive(ext);
        }
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = length;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int WdIoctl(DeviceObject DeviceObject, Irp Irp) {
        WatchdogExtension ext = (WatchdogExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        byte[] buffer = Irp.AssociatedIrp.SystemBuffer;
        int code = stack.Parameters.DeviceIoControl.IoControlCode;
        boolean needsIn = code == IOCTL_WDIOC_SETOPTIONS || code == IOCTL_WDIOC_SETTIMEOUT;
        boolean returnsInt = code != IOCTL_WDIOC_SETOPTIONS && code != IOCTL_WDIOC_KEEPALIVE;
        int status = STATUS_SUCCESS;
        int value = 0;
        if ((needsIn && stack.Parameters.DeviceIoControl.InputBufferLength < 4)
                || (returnsInt && stack.Parameters.DeviceIoControl.OutputBufferLength < 4)) {
            status = STATUS_BUFFER_TOO_SMALL;
        } else {
            int in = needsIn ? ReadInt(buffer) : 0;
            switch (code) {
                case IOCTL_WDIOC_GETSTATUS:
                    value = WdGetStatus(ext);
                    break;
                case IOCTL_WDIOC_GETBOOTSTATUS:
                    value = ext.BootStatus;
                    break;
                case IOCTL_WDIOC_GETTEMP:
                    value = WdGetTemperature(ext);
                    if (value < 0) {
                        status = STATUS_NOT_SUPPORTED;
                    }
                    break;
                case IOCTL_WDIOC_SETOPTIONS:
                    if (ext.Revision != PCWD_REVISION_C) {
                        status = STATUS_INVALID_PARAMETER;
                        break;
                    }
                    if ((in & WDIOS_DISABLECARD) != 0) {
                        status = WdStop(ext);
                    }
                    if (NT_SUCCESS(status) && (in & WDIOS_ENABLECARD) != 0) {
                        status = WdStart(ext);
                    }
                    if ((in & WDIOS_TEMPPANIC) != 0) {
                        ext.TempPanic = true;
                    }
                    break;
                case IOCTL_WDIOC_KEEPALIVE:
                    WdKeepalive(ext);
                    break;
                case IOCTL_WDIOC_SETTIMEOUT:
                    if (in < 2 || in > 7200) {
                        status = STATUS_INVALID_PARAMETER;
                        break;
                    }
                    ext.Heartbeat = in;
                    WdKeepalive(ext);
                    // and report the new value, as GETTIMEOUT does
                case IOCTL_WDIOC_GETTIMEOUT:
                    value = ext.Heartbeat;
                    break;
                default:
                    status = STATUS_INVALID_DEVICE_REQUEST;
                    break;
            }
        }
        long information = 0;
        if (NT_SUCCESS(status) && returnsInt) {
            WriteInt(buffer, value);
            information = 4;
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    private static int ReadInt(byte[] b) {
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    private static void WriteInt(byte[] b, int v) {
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
    }

    // ------------------------------------------------------------------ pnp

    @Role(DriverDispatch.class)
    int WdPnp(DeviceObject DeviceObject, Irp Irp) {
        WatchdogExtension ext = (WatchdogExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE:
                status = WdForwardAndWait(ext, Irp);
                if (NT_SUCCESS(status)) {
                    status = WdProbe(ext, stack.Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            case IRP_MN_STOP_DEVICE:
            case IRP_MN_REMOVE_DEVICE:
                if (ext.IoAddr != 0) {
                    WdStop(ext);
                    ext.IoAddr = 0;
                }
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                // the stack location goes with the IRP: what the code needs of it is read before
                boolean removing = stack.MinorFunction == IRP_MN_REMOVE_DEVICE;
                status = IoCallDriver(ext.LowerDevice, Irp);
                if (removing) {
                    IoDetachDevice(ext.LowerDevice);
                    IoDeleteDevice(DeviceObject);
                }
                return status;
            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(ext.LowerDevice, Irp);
        }
    }

    private int WdForwardAndWait(WatchdogExtension ext, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::WdStartCompletion, event, true, true, true);
        int status = IoCallDriver(ext.LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(event, Executive, KernelMode, false, null);
            status = Irp.IoStatus.Status;
        }
        return status;
    }

    @Role(IoCompletionRoutine.class)
    int WdStartCompletion(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    /** Finds the card's ports, its revision and its boot status, and leaves it disabled. */
    private int WdProbe(WatchdogExtension ext, CmResourceList resources) {
        long base = 0;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypePort && d.u.Port.Length >= 2) {
                base = d.u.Port.Start;
            }
        }
        if (base == 0) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        ext.IoAddr = base;
        // revision A decodes only two ports: the others float to 0xff
        int r2 = READ_PORT_UCHAR(base + 2) & 0xff;
        int r3 = READ_PORT_UCHAR(base + 3) & 0xff;
        ext.Revision = (r2 == 0xff || r3 == 0xff) ? PCWD_REVISION_A : PCWD_REVISION_C;
        ext.BootStatus = WdGetStatus(ext);
        if (ext.Revision == PCWD_REVISION_C) {
            int control = READ_PORT_UCHAR(base + 1) & 0xff;
            WRITE_PORT_UCHAR(base + 1, (byte) (control & WD_REVC_R2DS));
        }
        WdStop(ext);
        // a temperature option answers with something other than 0xf0 on port 0
        ext.SupportsTemp = (READ_PORT_UCHAR(base) & 0xff) != 0xf0;
        return STATUS_SUCCESS;
    }

    @Role(DriverUnload.class)
    void WdUnload(DriverObject DriverObject) {
    }
}
