package corpus.pscrloglogunchecked;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A PCMCIA smart card reader driver. Every failure to claim or initialize the reader is written
 * to the system event log through one helper around IoAllocateErrorLogEntry; a too-old firmware is
 * logged but tolerated. The reader interrupts on card insertion and removal: the ISR only counts
 * the interrupt and queues a CustomDpc, which reads the reader's freeze data by polled I/O (or, if
 * a command exchange is in progress, leaves a note for it) once per counted interrupt, updates the
 * card state and completes the pending card-tracking IOCTL.
 * Re-expressed from: microsoft/Windows-driver-samples/smartcrd/pscr/pscrnt.c and pscrcb.c (structure and facts, not code).
 */
public final class PscrDriver {
    static final int TAG = 0x52435350;
    // event log messages (pscrlog.mc)
    static final int PSCR_INSUFFICIENT_RESOURCES = 0xC0070001;
    static final int PSCR_ERROR_CLAIM_RESOURCES = 0xC0070002;
    static final int PSCR_ERROR_IO_PORT = 0xC0070003;
    static final int PSCR_ERROR_INTERRUPT = 0xC0070004;
    static final int PSCR_CANT_INITIALIZE_READER = 0xC0070005;
    static final int PSCR_WRONG_FIRMWARE = 0x80070006;
    // ports
    static final int PSCR_DATA = 0;
    static final int PSCR_CMD_STATUS = 1;
    static final int PSCR_SIZE_LS = 2;
    static final int PSCR_SIZE_MS = 3;
    static final int PSCR_DATA_AVAIL = 0x80;
    static final int PSCR_FREE = 0x40;
    static final int PSCR_RESET = 0x08;
    static final int PSCR_NAD = 0;
    static final int PSCR_INF = 3;
    static final int TAG_FREEZE_EVENTS = 0x23;
    static final int PSCR_ICC_PRESENT = 0x01;
    static final int SCARD_ABSENT = 1;
    static final int SCARD_PRESENT = 2;
    static final int FILE_DEVICE_SMARTCARD = 0x00000031;
    static final int IOCTL_SMARTCARD_GET_STATE = 0x0031000e;
    static final int IOCTL_SMARTCARD_IS_PRESENT = 0x00310028;
    static final int IOCTL_SMARTCARD_IS_ABSENT = 0x0031002c;
    static final int IOCTL_SMARTCARD_GET_FIRMWARE = 0x00312000;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        DriverObject.DriverUnload = this::Unload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = this::DeviceControl;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::DispatchPnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }

    /** Writes one entry to the system event log, if the log has room for it. */
    private void SmartcardLogError(Object IoObject, int ErrorCode, int UniqueValue, int DumpWord) {
        IoErrorLogPacket errorLogEntry = IoAllocateErrorLogEntry(IoObject, 64);
        if (errorLogEntry == null) {
            return;
        }
        errorLogEntry.ErrorCode = ErrorCode;
        errorLogEntry.UniqueErrorValue = UniqueValue;
        errorLogEntry.FinalStatus = ErrorCode < 0 ? STATUS_UNSUCCESSFUL : STATUS_SUCCESS;
        errorLogEntry.SequenceNumber = 0;
        errorLogEntry.RetryCount = 0;
        if (DumpWord != 0) {
            errorLogEntry.DumpDataSize = 4;
            errorLogEntry.DumpData = new int[] {DumpWord};
        }
        IoWriteErrorLogEntry(errorLogEntry);
    }

    /** Warning entry with the firmware revision as dump data. */
    private void LogFirmwareWarning(PscrExtension deviceExtension) {
        IoErrorLogPacket entry = IoAllocateErrorLogEntry(deviceExtension.Self, 64);
        entry.ErrorCode = PSCR_WRONG_FIRMWARE;
        entry.UniqueErrorValue = 7;
        entry.DumpDataSize = 4;
        entry.DumpData = new int[] {deviceExtension.FirmwareMajor << 8 | deviceExtension.FirmwareMinor};
        IoWriteErrorLogEntry(entry);
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject PhysicalDeviceObject) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, PscrExtension.class, null, FILE_DEVICE_SMARTCARD, 0, true,
                created);
        if (!NT_SUCCESS(status)) {
            SmartcardLogError(DriverObject, PSCR_INSUFFICIENT_RESOURCES, 1, 0);
            return status;
        }
        DeviceObject deviceObject = created.value;
        PscrExtension deviceExtension = (PscrExtension) deviceObject.DeviceExtension;
        deviceExtension.Self = deviceObject;
        deviceExtension.PhysicalDeviceObject = PhysicalDeviceObject;
        deviceExtension.CurrentState = SCARD_ABSENT;
        IoInitializeRemoveLock(deviceExtension.RemoveLock, TAG, 0, 10);
        KeInitializeSpinLock(deviceExtension.OsDataLock);
        KeInitializeDpc(deviceExtension.DpcObject, this::PscrDpcRoutine, deviceExtension);
        deviceExtension.AttachedDeviceObject = IoAttachDeviceToDeviceStack(deviceObject, PhysicalDeviceObject);
        if (deviceExtension.AttachedDeviceObject == null) {
            SmartcardLogError(DriverObject, PSCR_ERROR_CLAIM_RESOURCES, 2, 0);
            IoDeleteDevice(deviceObject);
            return STATUS_DEVICE_NOT_READY;
        }
        deviceObject.Flags |= DO_BUFFERED_IO;
        deviceObject.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    // ---- start and stop ----

    private int StartDevice(PscrExtension deviceExtension, CmResourceList resources) {
        int vector = -1;
        int level = 0;
        long affinity = 0;
        deviceExtension.IOBase = 0;
        for (CmPartialResourceDescriptor descriptor : resources.List[0].PartialResourceList.PartialDescriptors) {
            switch (descriptor.Type) {
                case CmResourceTypePort:
                    deviceExtension.IOBase = descriptor.u.Port.Start;
                    break;
                case CmResourceTypeInterrupt:
                    vector = descriptor.u.Interrupt.Vector;
                    level = descriptor.u.Interrupt.Level;
                    affinity = descriptor.u.Interrupt.Affinity;
                    deviceExtension.bSharedIRQ = descriptor.ShareDisposition == 3;
                    break;
                default:
                    break;
            }
        }
        if (deviceExtension.IOBase == 0) {
            SmartcardLogError(deviceExtension.Self, PSCR_ERROR_IO_PORT, 3, 0);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        if (vector < 0) {
            SmartcardLogError(deviceExtension.Self, PSCR_ERROR_INTERRUPT, 4, 0);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::PscrIrqServiceRoutine, deviceExtension, null, vector, level,
                level, Latched, deviceExtension.bSharedIRQ, affinity, false);
        if (!NT_SUCCESS(status)) {
            SmartcardLogError(deviceExtension.Self, PSCR_ERROR_INTERRUPT, 5, status);
            return status;
        }
        deviceExtension.InterruptObject = interrupt.value;

        status = CmdResetInterface(deviceExtension);
        if (status != STATUS_SUCCESS) {
            SmartcardLogError(deviceExtension.Self, PSCR_CANT_INITIALIZE_READER, 6, status);
            StopDevice(deviceExtension);
            return status;
        }
        CmdGetFirmwareRevision(deviceExtension);
        if (deviceExtension.FirmwareMajor < 2
                || deviceExtension.FirmwareMajor == 2 && deviceExtension.FirmwareMinor < 0x34) {
            // works, but without the newer freeze events
            LogFirmwareWarning(deviceExtension);
        }
        deviceExtension.Started = true;
        return STATUS_SUCCESS;
    }

    private void StopDevice(PscrExtension deviceExtension) {
        deviceExtension.Started = false;
        if (deviceExtension.InterruptObject != null) {
            IoDisconnectInterrupt(deviceExtension.InterruptObject);
            deviceExtension.InterruptObject = null;
        }
        KeRemoveQueueDpc(deviceExtension.DpcObject);
        FailNotification(deviceExtension, STATUS_DEVICE_NOT_READY);
    }

    // ---- the reader's polled command interface ----

    private int CmdResetInterface(PscrExtension deviceExtension) {
        WRITE_PORT_UCHAR(deviceExtension.IOBase + PSCR_CMD_STATUS, (byte) PSCR_RESET);
        for (int retries = 0; retries < 100; retries++) {
            if ((READ_PORT_UCHAR(deviceExtension.IOBase + PSCR_CMD_STATUS) & PSCR_FREE) != 0) {
                WRITE_PORT_UCHAR(deviceExtension.IOBase + PSCR_CMD_STATUS, (byte) 0);
                return STATUS_SUCCESS;
            }
            KeStallExecutionProcessor(10);
        }
        return STATUS_IO_TIMEOUT;
    }

    /** Sends a command block and reads the reply; both by polling the status port. */
    private int PscrExchange(PscrExtension deviceExtension, byte[] command, byte[] reply) {
        long base = deviceExtension.IOBase;
        WRITE_PORT_UCHAR(base + PSCR_SIZE_LS, (byte) command.length);
        WRITE_PORT_UCHAR(base + PSCR_SIZE_MS, (byte) (command.length >> 8));
        for (byte b : command) {
            WRITE_PORT_UCHAR(base + PSCR_DATA, b);
        }
        for (int retries = 0; retries < 200; retries++) {
            if ((READ_PORT_UCHAR(base + PSCR_CMD_STATUS) & PSCR_DATA_AVAIL) != 0) {
                int length = (READ_PORT_UCHAR(base + PSCR_SIZE_LS) & 0xff)
                        | (READ_PORT_UCHAR(base + PSCR_SIZE_MS) & 0xff) << 8;
                if (length > reply.length) {
                    return STATUS_BUFFER_TOO_SMALL;
                }
                for (int i = 0; i < length; i++) {
                    reply[i] = READ_PORT_UCHAR(base + PSCR_DATA);
                }
                return STATUS_SUCCESS;
            }
            KeStallExecutionProcessor(20);
        }
        return STATUS_IO_TIMEOUT;
    }

    private void CmdGetFirmwareRevision(PscrExtension deviceExtension) {
        byte[] reply = new byte[8];
        if (PscrExchange(deviceExtension, new byte[] {0x12, 0x00, 0x03, 0x00, (byte) 0xB0, 0x00}, reply)
                == STATUS_SUCCESS) {
            deviceExtension.FirmwareMajor = reply[4];
            deviceExtension.FirmwareMinor = reply[5];
        }
    }

    // ---- interrupt path ----

    /** The reader does not share well: count the interrupt and let the DPC do the work. */
    @Role(KServiceRoutine.class)
    boolean PscrIrqServiceRoutine(KInterrupt Interrupt, Object ServiceContext) {
        PscrExtension deviceExtension = (PscrExtension) ServiceContext;
        if (!deviceExtension.Started) {
            return false;
        }
        deviceExtension.PendingInterrupts++;
        KeInsertQueueDpc(deviceExtension.DpcObject, null, null);
        return !deviceExtension.bSharedIRQ;
    }

    @Role(KSynchronizeRoutine.class)
    boolean TakeOneInterrupt(Object SynchronizeContext) {
        PscrExtension deviceExtension = (PscrExtension) SynchronizeContext;
        deviceExtension.PendingInterrupts--;
        return deviceExtension.PendingInterrupts > 0;
    }

    @Role(KDeferredRoutine.class)
    void PscrDpcRoutine(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        PscrExtension deviceExtension = (PscrExtension) DeferredContext;
        boolean more;
        do {
            if (!deviceExtension.RequestPending) {
                PscrFreeze(deviceExtension);
            } else {
                // a command exchange owns the reader; it reads the freeze data when it is done
                deviceExtension.RequestInterrupt = true;
            }
            more = KeSynchronizeExecution(deviceExtension.InterruptObject, this::TakeOneInterrupt, deviceExtension);
        } while (more);
    }

    /** Reads the freeze data that the reader latched at the card event and updates the card state. */
    private void PscrFreeze(PscrExtension deviceExtension) {
        byte[] tlvList = new byte[9];
        byte[] readFreeze = {0x12, 0x00, 0x05, 0x00, (byte) 0xB0, 0x00, 0x00, 0x01, (byte) 0xA6};
        for (int retries = 0; retries < 2; retries++) {
            if (NT_SUCCESS(PscrExchange(deviceExtension, readFreeze, tlvList)) && tlvList[PSCR_NAD] == 0x21
                    && tlvList[PSCR_INF] == TAG_FREEZE_EVENTS) {
                UpdateCardState(deviceExtension, tlvList[PSCR_INF + 2] & PSCR_ICC_PRESENT, false);
                return;
            }
        }
    }

    /** Records the new card state; a waiting card-tracking request whose condition is now met is completed. */
    private void UpdateCardState(PscrExtension deviceExtension, int iccState, boolean systemWakeUp) {
        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(deviceExtension.OsDataLock, irql);
        int oldState = deviceExtension.CurrentState;
        deviceExtension.CurrentState = iccState == PSCR_ICC_PRESENT ? SCARD_PRESENT : SCARD_ABSENT;
        if (deviceExtension.NotificationIrp != null
                && (systemWakeUp || deviceExtension.CurrentState != oldState)) {
            Irp notificationIrp = deviceExtension.NotificationIrp;
            deviceExtension.NotificationIrp = null;
            KeReleaseSpinLock(deviceExtension.OsDataLock, irql.value);
            if (IoSetCancelRoutine(notificationIrp, null) != null) {
                notificationIrp.IoStatus.Status = STATUS_SUCCESS;
                notificationIrp.IoStatus.Information = 0;
                IoCompleteRequest(notificationIrp, IO_NO_INCREMENT);
            }
        } else {
            KeReleaseSpinLock(deviceExtension.OsDataLock, irql.value);
        }
    }

    private void FailNotification(PscrExtension deviceExtension, int status) {
        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(deviceExtension.OsDataLock, irql);
        Irp notificationIrp = deviceExtension.NotificationIrp;
        deviceExtension.NotificationIrp = null;
        KeReleaseSpinLock(deviceExtension.OsDataLock, irql.value);
        if (notificationIrp != null && IoSetCancelRoutine(notificationIrp, null) != null) {
            notificationIrp.IoStatus.Status = status;
            notificationIrp.IoStatus.Information = 0;
            IoCompleteRequest(notificationIrp, IO_NO_INCREMENT);
        }
    }

    @Role(DriverCancel.class)
    void PscrCancel(DeviceObject DeviceObject, Irp Irp) {
        PscrExtension deviceExtension = (PscrExtension) DeviceObject.DeviceExtension;
        IoReleaseCancelSpinLock(Irp.CancelIrql);
        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(deviceExtension.OsDataLock, irql);
        if (deviceExtension.NotificationIrp == Irp) {
            deviceExtension.NotificationIrp = null;
        }
        KeReleaseSpinLock(deviceExtension.OsDataLock, irql.value);
        Irp.IoStatus.Status = STATUS_CANCELLED;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }

    // ---- dispatch ----

    @Role(DriverDispatch.class)
    int CreateClose(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    /** Card tracking: completes at once if the card is already where the caller wants it, else waits for the DPC. */
    private int CardTracking(PscrExtension deviceExtension, Irp Irp, int wanted) {
        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(deviceExtension.OsDataLock, irql);
        if (deviceExtension.CurrentState == wanted) {
            KeReleaseSpinLock(deviceExtension.OsDataLock, irql.value);
            return STATUS_SUCCESS;
        }
        if (deviceExtension.NotificationIrp != null) {
            KeReleaseSpinLock(deviceExtension.OsDataLock, irql.value);
            return STATUS_DEVICE_BUSY;
        }
        IoSetCancelRoutine(Irp, this::PscrCancel);
        if (Irp.Cancel && IoSetCancelRoutine(Irp, null) != null) {
            KeReleaseSpinLock(deviceExtension.OsDataLock, irql.value);
            return STATUS_CANCELLED;
        }
        IoMarkIrpPending(Irp);
        deviceExtension.NotificationIrp = Irp;
        KeReleaseSpinLock(deviceExtension.OsDataLock, irql.value);
        return STATUS_PENDING;
    }

    @Role(DriverDispatch.class)
    int DeviceControl(DeviceObject DeviceObject, Irp Irp) {
        PscrExtension deviceExtension = (PscrExtension) DeviceObject.DeviceExtension;
        int status = IoAcquireRemoveLock(deviceExtension.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        long information = 0;
        if (!deviceExtension.Started) {
            status = STATUS_DEVICE_NOT_READY;
        } else {
            switch (stack.Parameters.DeviceIoControl.IoControlCode) {
                case IOCTL_SMARTCARD_IS_PRESENT:
                    status = CardTracking(deviceExtension, Irp, SCARD_PRESENT);
                    break;
                case IOCTL_SMARTCARD_IS_ABSENT:
                    status = CardTracking(deviceExtension, Irp, SCARD_ABSENT);
                    break;
                case IOCTL_SMARTCARD_GET_STATE:
                    if (stack.Parameters.DeviceIoControl.OutputBufferLength < 4) {
                        status = STATUS_BUFFER_TOO_SMALL;
                        break;
                    }
                    Irp.AssociatedIrp.SystemBuffer[0] = (byte) deviceExtension.CurrentState;
                    information = 4;
                    status = STATUS_SUCCESS;
                    break;
                case IOCTL_SMARTCARD_GET_FIRMWARE:
                    if (stack.Parameters.DeviceIoControl.OutputBufferLength < 2) {
                        status = STATUS_BUFFER_TOO_SMALL;
                        break;
                    }
                    // the exchange owns the reader; card events seen meanwhile are read afterwards
                    deviceExtension.RequestPending = true;
                    CmdGetFirmwareRevision(deviceExtension);
                    deviceExtension.RequestPending = false;
                    if (deviceExtension.RequestInterrupt) {
                        deviceExtension.RequestInterrupt = false;
                        PscrFreeze(deviceExtension);
                    }
                    Irp.AssociatedIrp.SystemBuffer[0] = (byte) deviceExtension.FirmwareMajor;
                    Irp.AssociatedIrp.SystemBuffer[1] = (byte) deviceExtension.FirmwareMinor;
                    information = 2;
                    status = STATUS_SUCCESS;
                    break;
                default:
                    status = STATUS_INVALID_DEVICE_REQUEST;
                    break;
            }
        }
        if (status != STATUS_PENDING) {
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = information;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
        }
        IoReleaseRemoveLock(deviceExtension.RemoveLock, Irp);
        return status;
    }

    @Role(IoCompletionRoutine.class)
    int StartCompletion(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        PscrExtension deviceExtension = (PscrExtension) DeviceObject.DeviceExtension;
        int status = IoAcquireRemoveLock(deviceExtension.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE: {
                KEvent event = new KEvent();
                KeInitializeEvent(event, NotificationEvent, false);
                IoCopyCurrentIrpStackLocationToNext(Irp);
                IoSetCompletionRoutine(Irp, this::StartCompletion, event, true, true, true);
                status = IoCallDriver(deviceExtension.AttachedDeviceObject, Irp);
                if (status == STATUS_PENDING) {
                    KeWaitForSingleObject(event, Executive, KernelMode, false, null);
                    status = Irp.IoStatus.Status;
                }
                if (NT_SUCCESS(status)) {
                    status = StartDevice(deviceExtension, stack.Parameters.StartDevice.AllocatedResourcesTranslated); // expect: ErrorLogEntryUnchecked
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                IoReleaseRemoveLock(deviceExtension.RemoveLock, Irp);
                return status;
            }
            case IRP_MN_STOP_DEVICE:
            case IRP_MN_SURPRISE_REMOVAL:
                StopDevice(deviceExtension);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                break;
            case IRP_MN_REMOVE_DEVICE:
                IoReleaseRemoveLockAndWait(deviceExtension.RemoveLock, Irp);
                if (deviceExtension.Started) {
                    StopDevice(deviceExtension);
                }
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                status = IoCallDriver(deviceExtension.AttachedDeviceObject, Irp);
                IoDetachDevice(deviceExtension.AttachedDeviceObject);
                IoDeleteDevice(DeviceObject);
                return status;
            default:
                break;
        }
        IoSkipCurrentIrpStackLocation(Irp);
        status = IoCallDriver(deviceExtension.AttachedDeviceObject, Irp);
        IoReleaseRemoveLock(deviceExtension.RemoveLock, Irp);
        return status;
    }
}
