package corpus.gameportmeasureraiseonce;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.ArrayList;
import java.util.List;

/**
 * An analog joystick on the PC game port (one I/O port, 0x201). Writing the port fires four
 * one-shots; each axis bit stays 1 for a time proportional to the stick's resistance, and the high
 * nibble carries the buttons, active low. A 10 ms periodic timer samples the stick: with the
 * processor raised to HIGH_LEVEL it triggers the one-shots and counts port reads until every axis
 * bit has dropped, then converts counts to positions with the speed measured at start. A sample
 * that changed completes the oldest waiting read, which is kept on a driver-managed queue.
 * Re-expressed from: torvalds/linux/drivers/input/joystick/analog.c and drivers/input/gameport/gameport.c (structure and facts, not code).
 */
@HardwareId("SIM\\GAMEPORT")
public final class GameportDriver {
    static final int AXIS_BITS = 0x0f;
    static final int BUTTON_BITS = 0xf0;
    static final int ANALOG_MAX_TIME_US = 3000;
    static final int ANALOG_LOOP_TIME_US = 2000;
    static final int POLL_INTERVAL_MS = 10;
    static final int REPORT_SIZE = 20;
    static final int GAMEPORT_TAG = 0x454d4147;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::GameAddDevice;
        DriverObject.DriverUnload = this::GameUnload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::GameCreate;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::GameClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::GameRead;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::GamePnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int GameAddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, GameportExtension.class, null, FILE_DEVICE_UNKNOWN, 0, true, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        GameportExtension ext = (GameportExtension) fdo.DeviceExtension;
        ext.Self = fdo;
        IoInitializeRemoveLock(ext.RemoveLock, GAMEPORT_TAG, 0, 0);
        KeInitializeSpinLock(ext.StateLock);
        KeInitializeTimerEx(ext.PollTimer, SynchronizationTimer);
        KeInitializeDpc(ext.PollDpc, this::GamePoll, ext);
        ext.LowerDevice = IoAttachDeviceToDeviceStack(fdo, Pdo);
        if (ext.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_DEVICE_NOT_READY;
        }
        fdo.Flags |= DO_BUFFERED_IO;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    // ------------------------------------------------------------------ measurement

    /**
     * Triggers the one-shots and times them. Runs at HIGH_LEVEL so that nothing stretches the count.
     */
    private static void GameCookedRead(long port, int axisMask, GameportExtension.Sample sample) {
        WRITE_PORT_UCHAR(port, (byte) 0xff);
        int pending = axisMask;
        int loops = 0;
        int value = READ_PORT_UCHAR(port) & 0xff;
        while ((value & pending) != 0 && loops < ANALOG_MAX_TIME_US) {
            KeStallExecutionProcessor(1);
            loops++;
            value = READ_PORT_UCHAR(port) & 0xff;
            int dropped = pending & ~value;
            for (int axis = 0; axis < 4; axis++) {
                if ((dropped & (1 << axis)) != 0) {
                    sample.Axes[axis] = loops;
                }
            }
            pending &= value;
        }
        sample.Buttons = ~value & BUTTON_BITS;
        sample.Valid = pending == 0;
    }

    @Role(KDeferredRoutine.class)
    void GamePoll(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        GameportExtension ext = (GameportExtension) DeferredContext;
        GameportExtension.Sample sample = new GameportExtension.Sample();
        Out<Integer> oldIrql = new Out<>();
        KeRaiseIrql(HIGH_LEVEL, oldIrql);
        GameCookedRead(ext.Port, ext.AxisMask, sample);
        KeLowerIrql(oldIrql.value);
        List<Irp> complete = new ArrayList<>();
        byte[] report = null;
        KeAcquireSpinLockAtDpcLevel(ext.StateLock);
        if (!sample.Valid) {
            ext.BadReads++;
        } else if (GameUpdateState(ext, sample)) {
            report = GameBuildReport(ext);
            while (!ext.PendingReads.isEmpty()) {
                Irp irp = ext.PendingReads.pollFirst();
                if (IoSetCancelRoutine(irp, null) != null) {
                    complete.add(irp);
                }
            }
        }
        KeReleaseSpinLockFromDpcLevel(ext.StateLock);
        for (Irp irp : complete) {
            RtlCopyMemory(irp.AssociatedIrp.SystemBuffer, 0, report, 0, REPORT_SIZE);
            irp.IoStatus.Information = REPORT_SIZE;
            irp.IoStatus.Status = STATUS_SUCCESS;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(ext.RemoveLock, irp);
        }
    }

    /** Scales counts to 0..1023 and stores them; returns whether anything changed. StateLock held. */
    private static boolean GameUpdateState(GameportExtension ext, GameportExtension.Sample sample) {
        boolean changed = sample.Buttons != ext.Buttons;
        for (int axis = 0; axis < 4; axis++) {
            if ((ext.AxisMask & (1 << axis)) == 0) {
                continue;
            }
            int position = Math.min(1023, sample.Axes[axis] * 1024 / Math.max(1, ext.Speed));
            if (Math.abs(position - ext.Axes[axis]) > 2) {
                ext.Axes[axis] = position;
                changed = true;
            }
        }
        ext.Buttons = sample.Buttons;
        ext.Reports++;
        return changed;
    }

    private static byte[] GameBuildReport(GameportExtension ext) {
        byte[] report = new byte[REPORT_SIZE];
        for (int axis = 0; axis < 4; axis++) {
            report[4 * axis] = (byte) ext.Axes[axis];
            report[4 * axis + 1] = (byte) (ext.Axes[axis] >>> 8);
        }
        report[16] = (byte) (ext.Buttons >>> 4);
        return report;
    }

    /** How many port reads fit in a millisecond; the port is slow and its speed varies. PASSIVE_LEVEL. */
    private int GameMeasureSpeed(long port) {
        int best = Integer.MAX_VALUE;
        Out<Integer> oldIrql = new Out<>();
        KeRaiseIrql(HIGH_LEVEL, oldIrql);
        for (int attempt = 0; attempt < 3; attempt++) {
            int reads = 0;
            for (int us = 0; us < 1000; us += 10) {
                READ_PORT_UCHAR(port);
                reads++;
                KeStallExecutionProcessor(10);
            }
            KeLowerIrql(oldIrql.value);
            best = Math.min(best, reads);
        }
        return best;
    }

    /** Which axes and buttons are wired: an unplugged axis never drops its bit. */
    private void GameInitMasks(GameportExtension ext) {
        GameportExtension.Sample sample = new GameportExtension.Sample();
        Out<Integer> oldIrql = new Out<>();
        KeRaiseIrql(HIGH_LEVEL, oldIrql);
        GameCookedRead(ext.Port, AXIS_BITS, sample);
        KeLowerIrql(oldIrql.value);
        int mask = 0;
        for (int axis = 0; axis < 4; axis++) {
            if (sample.Axes[axis] != 0) {
                mask |= 1 << axis;
            }
        }
        ext.AxisMask = mask;
        ext.ButtonMask = BUTTON_BITS;
    }

    // ------------------------------------------------------------------ dispatch

    @Role(DriverDispatch.class)
    int GameCreate(DeviceObject DeviceObject, Irp Irp) {
        GameportExtension ext = (GameportExtension) DeviceObject.DeviceExtension;
        int status = ext.Port == 0 ? STATUS_DEVICE_NOT_READY : STATUS_SUCCESS;
        if (NT_SUCCESS(status) && !ext.Polling) {
            ext.Polling = true;
            KeSetTimerEx(ext.PollTimer, -10_000L * POLL_INTERVAL_MS, POLL_INTERVAL_MS, ext.PollDpc);
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    @Role(DriverDispatch.class)
    int GameClose(DeviceObject DeviceObject, Irp Irp) {
        GameportExtension ext = (GameportExtension) DeviceObject.DeviceExtension;
        GameStopPolling(ext);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int GameRead(DeviceObject DeviceObject, Irp Irp) {
        GameportExtension ext = (GameportExtension) DeviceObject.DeviceExtension;
        int status;
        if (IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length < REPORT_SIZE) {
            status = STATUS_BUFFER_TOO_SMALL;
        } else if (!ext.Polling) {
            status = STATUS_DEVICE_NOT_READY;
        } else {
            status = IoAcquireRemoveLock(ext.RemoveLock, Irp);
        }
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(ext.StateLock, oldIrql);
        IoSetCancelRoutine(Irp, this::GameCancelRead);
        if (Irp.Cancel && IoSetCancelRoutine(Irp, null) != null) {
            KeReleaseSpinLock(ext.StateLock, oldIrql.value);
            Irp.IoStatus.Status = STATUS_CANCELLED;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(ext.RemoveLock, Irp);
            return STATUS_CANCELLED;
        }
        IoMarkIrpPending(Irp);
        ext.PendingReads.addLast(Irp);
        KeReleaseSpinLock(ext.StateLock, oldIrql.value);
        return STATUS_PENDING;
    }

    @Role(DriverCancel.class)
    void GameCancelRead(DeviceObject DeviceObject, Irp Irp) {
        GameportExtension ext = (GameportExtension) DeviceObject.DeviceExtension;
        IoReleaseCancelSpinLock(Irp.CancelIrql);
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(ext.StateLock, oldIrql);
        ext.PendingReads.remove(Irp);
        KeReleaseSpinLock(ext.StateLock, oldIrql.value);
        Irp.IoStatus.Status = STATUS_CANCELLED;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        IoReleaseRemoveLock(ext.RemoveLock, Irp);
    }

    private void GameStopPolling(GameportExtension ext) {
        if (!ext.Polling) {
            return;
        }
        ext.Polling = false;
        KeCancelTimer(ext.PollTimer);
        KeRemoveQueueDpc(ext.PollDpc);
    }

    // ------------------------------------------------------------------ pnp

    @Role(DriverDispatch.class)
    int GamePnp(DeviceObject DeviceObject, Irp Irp) {
        GameportExtension ext = (GameportExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE:
                status = GameForwardAndWait(ext, Irp);
                if (NT_SUCCESS(status)) {
                    status = GameStartDevice(ext, stack.Parameters.StartDevice.AllocatedResourcesTranslated); // expect: IrqlKeRaiseLower
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            case IRP_MN_REMOVE_DEVICE:
                IoAcquireRemoveLock(ext.RemoveLock, Irp);
                GameStopPolling(ext);
                IoReleaseRemoveLockAndWait(ext.RemoveLock, Irp);
                ext.Port = 0;
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

    private int GameForwardAndWait(GameportExtension ext, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::GameStartCompletion, event, true, true, true);
        int status = IoCallDriver(ext.LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(event, Executive, KernelMode, false, null);
            status = Irp.IoStatus.Status;
        }
        return status;
    }

    @Role(IoCompletionRoutine.class)
    int GameStartCompletion(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    private int GameStartDevice(GameportExtension ext, CmResourceList resources) {
        long port = 0;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypePort && port == 0) {
                port = d.u.Port.Start;
            }
        }
        if (port == 0) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        ext.Speed = GameMeasureSpeed(port) * ANALOG_LOOP_TIME_US / 1000;
        ext.Port = port;
        GameInitMasks(ext);
        if (ext.AxisMask == 0) {
            ext.Port = 0;
            return STATUS_DEVICE_NOT_READY;
        }
        return STATUS_SUCCESS;
    }

    @Role(DriverUnload.class)
    void GameUnload(DriverObject DriverObject) {
    }
}
