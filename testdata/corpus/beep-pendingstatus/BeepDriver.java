package corpus.beeppendingstatus;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The PC speaker driver. IOCTL_BEEP_SET requests with a duration go through the system device
 * queue; StartIo turns the speaker on at the requested frequency, arms a timer whose DPC is the
 * device object's own DPC (registered with IoInitializeDpcRequest) to turn it off again, and
 * completes the request at once, starting the next packet first (StartIo is deferred, so this
 * does not recurse). Opens are counted under a mutex; the last close and unload cancel a running
 * timer; cleanup silences the speaker.
 * Re-expressed from: reactos/reactos/drivers/base/beep/beep.c (structure and facts, not code).
 */
public final class BeepDriver {
    static final int FILE_DEVICE_BEEP = 0x00000001;
    /** CTL_CODE(FILE_DEVICE_BEEP, 0, METHOD_BUFFERED, FILE_ANY_ACCESS). */
    static final int IOCTL_BEEP_SET = 0x00010000;
    static final int STATUS_NOT_IMPLEMENTED = 0xC0000002;
    static final int BEEP_FREQUENCY_MINIMUM = 0x25;
    static final int BEEP_FREQUENCY_MAXIMUM = 0x7FFF;
    /** Frequency (4 bytes) and duration in milliseconds (4 bytes). */
    static final int BEEP_SET_PARAMETERS_SIZE = 8;
    static final long TIMER_CLOCK = 1193182;
    static final long PIT_CONTROL = 0x43;
    static final long PIT_CHANNEL2 = 0x42;
    static final long SPEAKER_PORT = 0x61;
    /** Serializes programming the timer chip, as the HAL's beep routine does. */
    static final KSpinLock HalBeepLock = new KSpinLock();

    /** The beep device's extension. */
    static final class BeepExtension {
        int ReferenceCount;
        /** The sample's fast mutex: a synchronization event used as a lock around ReferenceCount. */
        final KEvent Mutex = new KEvent();
        final KTimer Timer = new KTimer();
        /** Guards TimerActive (the sample uses interlocked operations). */
        final KSpinLock TimerLock = new KSpinLock();
        int TimerActive;
    }

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, BeepExtension.class, new UnicodeString("\\Device\\Beep"),
                FILE_DEVICE_BEEP, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject deviceObject = created.value;
        deviceObject.Flags |= DO_BUFFERED_IO;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::BeepCreate;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::BeepClose;
        DriverObject.MajorFunction[IRP_MJ_CLEANUP] = this::BeepCleanup;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = this::BeepDeviceControl;
        DriverObject.DriverUnload = this::BeepUnload;
        DriverObject.DriverStartIo = this::BeepStartIo;

        BeepExtension deviceExtension = (BeepExtension) deviceObject.DeviceExtension;
        deviceExtension.ReferenceCount = 0;
        deviceExtension.TimerActive = 0;
        KeInitializeSpinLock(HalBeepLock);
        KeInitializeSpinLock(deviceExtension.TimerLock);
        IoInitializeDpcRequest(deviceObject, this::BeepDpc);
        KeInitializeTimer(deviceExtension.Timer);
        KeInitializeEvent(deviceExtension.Mutex, SynchronizationEvent, true);
        IoSetStartIoAttributes(deviceObject, true, false);
        return STATUS_SUCCESS;
    }

    /** Turns the speaker on at a frequency, or off for 0; false if the frequency cannot be made. */
    static boolean MakeBeep(int frequency) {
        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(HalBeepLock, irql);
        byte speaker = READ_PORT_UCHAR(SPEAKER_PORT);
        WRITE_PORT_UCHAR(SPEAKER_PORT, (byte) (speaker & ~0x03));
        boolean result = true;
        if (frequency != 0) {
            long divisor = TIMER_CLOCK / frequency;
            if (divisor > 0xffff) {
                result = false;
            } else {
                WRITE_PORT_UCHAR(PIT_CONTROL, (byte) 0xB6);
                WRITE_PORT_UCHAR(PIT_CHANNEL2, (byte) divisor);
                WRITE_PORT_UCHAR(PIT_CHANNEL2, (byte) (divisor >> 8));
                WRITE_PORT_UCHAR(SPEAKER_PORT, (byte) (speaker | 0x03));
            }
        }
        KeReleaseSpinLock(HalBeepLock, irql.value);
        return result;
    }

    private void ChangeTimerActive(BeepExtension deviceExtension, int delta) {
        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(deviceExtension.TimerLock, irql);
        deviceExtension.TimerActive += delta;
        KeReleaseSpinLock(deviceExtension.TimerLock, irql.value);
    }

    /** Cancels a running beep timer; the DPC will not run for it. */
    private void CancelActiveTimer(BeepExtension deviceExtension) {
        if (deviceExtension.TimerActive != 0 && KeCancelTimer(deviceExtension.Timer)) {
            ChangeTimerActive(deviceExtension, -1);
        }
    }

    /** The timer's DPC: the beep is over. */
    @Role(IoDpcRoutine.class)
    void BeepDpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        BeepExtension deviceExtension = (BeepExtension) DeviceObject.DeviceExtension;
        MakeBeep(0);
        ChangeTimerActive(deviceExtension, -1);
    }

    @Role(DriverDispatch.class)
    int BeepCreate(DeviceObject DeviceObject, Irp Irp) {
        BeepExtension deviceExtension = (BeepExtension) DeviceObject.DeviceExtension;
        KeWaitForSingleObject(deviceExtension.Mutex, Executive, KernelMode, false, null);
        ++deviceExtension.ReferenceCount;
        KeSetEvent(deviceExtension.Mutex, IO_NO_INCREMENT, false);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int BeepClose(DeviceObject DeviceObject, Irp Irp) {
        BeepExtension deviceExtension = (BeepExtension) DeviceObject.DeviceExtension;
        KeWaitForSingleObject(deviceExtension.Mutex, Executive, KernelMode, false, null);
        if (--deviceExtension.ReferenceCount == 0) {
            CancelActiveTimer(deviceExtension);
        }
        KeSetEvent(deviceExtension.Mutex, IO_NO_INCREMENT, false);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int BeepCleanup(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        MakeBeep(0);
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int BeepDeviceControl(DeviceObject DeviceObject, Irp Irp) {
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        byte[] beepParam = Irp.AssociatedIrp.SystemBuffer;
        int status;
        if (stack.Parameters.DeviceIoControl.IoControlCode != IOCTL_BEEP_SET) {
            status = STATUS_NOT_IMPLEMENTED;
        } else if (stack.Parameters.DeviceIoControl.InputBufferLength < BEEP_SET_PARAMETERS_SIZE) {
            status = STATUS_INVALID_PARAMETER;
        } else if (Frequency(beepParam) != 0 && Duration(beepParam) == 0) {
            // no duration: nothing to do
            status = STATUS_SUCCESS;
        } else {
            status = STATUS_PENDING;
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = 0;
        if (status == STATUS_PENDING) {
            IoMarkIrpPending(Irp);
            IoStartPacket(DeviceObject, Irp, null, null);
        } else {
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
        }
        return status;
    }

    static int Frequency(byte[] p) {
        return (p[0] & 0xff) | (p[1] & 0xff) << 8 | (p[2] & 0xff) << 16 | (p[3] & 0xff) << 24;
    }

    static int Duration(byte[] p) {
        return (p[4] & 0xff) | (p[5] & 0xff) << 8 | (p[6] & 0xff) << 16 | (p[7] & 0xff) << 24;
    }

    @Role(DriverUnload.class)
    void BeepUnload(DriverObject DriverObject) {
        DeviceObject deviceObject = DriverObject.DeviceObject;
        CancelActiveTimer((BeepExtension) deviceObject.DeviceExtension);
        IoDeleteDevice(deviceObject);
    }

    @Role(DriverStartIo.class)
    void BeepStartIo(DeviceObject DeviceObject, Irp Irp) {
        BeepExtension deviceExtension = (BeepExtension) DeviceObject.DeviceExtension;
        if (Irp == null) {
            return;
        }
        byte[] beepParam = Irp.AssociatedIrp.SystemBuffer;
        IoStackLocation ioStack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        if (ioStack.Parameters.DeviceIoControl.IoControlCode == IOCTL_BEEP_SET) {
            CancelActiveTimer(deviceExtension);
            int frequency = Frequency(beepParam);
            if (frequency >= BEEP_FREQUENCY_MINIMUM && frequency <= BEEP_FREQUENCY_MAXIMUM && MakeBeep(frequency)) {
                // the beep is on: the DPC turns it off when the duration is over
                status = STATUS_SUCCESS;
                long dueTime = Duration(beepParam) * -10000L;
                ChangeTimerActive(deviceExtension, 1);
                KeSetTimer(deviceExtension.Timer, dueTime, DeviceObject.Dpc);
            } else {
                status = STATUS_INVALID_PARAMETER;
            }
            Irp.IoStatus.Status = status;
        }
        Irp.IoStatus.Information = 0;
        IoStartNextPacket(DeviceObject, true);
        IoCompleteRequest(Irp, IO_NO_INCREMENT); // expect: CompleteWithPendingStatus
    }
}
