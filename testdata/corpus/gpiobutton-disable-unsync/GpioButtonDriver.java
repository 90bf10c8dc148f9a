package corpus.gpiobuttondisableunsync;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A memory-mapped GPIO controller with four banks of 32 pins (mode, polarity, enable, status,
 * direction and level registers per bank) driving push buttons. Enabling a pin programs its mode and
 * polarity, clears its stale status and sets its enable bit, all under the interrupt lock. The ISR
 * collects the active pins of every bank, masks them and acknowledges edge pins by writing their
 * status bits back, then requests the DpcForIsr. The DPC completes the waits for those pins and, for
 * pins configured with debounce, re-reads their level after a 20 ms timer before unmasking them.
 * Re-expressed from: microsoft/Windows-driver-samples/gpio/samples/simgpio/simgpio.c (structure and facts, not code).
 */
@HardwareId("SIM\\GPIOBTN")
public final class GpioButtonDriver {
    static final int MODE_REGISTER = 0x0;
    static final int POLARITY_REGISTER = 0x4;
    static final int ENABLE_REGISTER = 0xC;
    static final int STATUS_REGISTER = 0x10;
    static final int DIRECTION_REGISTER = 0x14;
    static final int LEVEL_REGISTER = 0x18;
    static final int BANK_SIZE = 0x1C;
    static final long DEBOUNCE_100NS = -200_000L;

    static final int IOCTL_GPIO_ENABLE_PIN = 0x00228000;
    static final int IOCTL_GPIO_DISABLE_PIN = 0x00228004;
    static final int IOCTL_GPIO_WAIT_FOR_CHANGE = 0x00228008;
    static final int IOCTL_GPIO_READ_LEVELS = 0x0022800c;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::GpioAddDevice;
        DriverObject.DriverUnload = this::GpioUnload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::GpioCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::GpioCreateClose;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = this::GpioDeviceControl;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::GpioPnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int GpioAddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, GpioExtension.class, null, FILE_DEVICE_UNKNOWN, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        GpioExtension ext = (GpioExtension) fdo.DeviceExtension;
        ext.Self = fdo;
        KeInitializeSpinLock(ext.WaitLock);
        IoInitializeDpcRequest(fdo, this::GpioDpcForIsr);
        KeInitializeTimer(ext.DebounceTimer);
        KeInitializeDpc(ext.DebounceDpc, this::GpioDebounceDpc, ext);
        ext.LowerDevice = IoAttachDeviceToDeviceStack(fdo, Pdo);
        if (ext.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_DEVICE_NOT_READY;
        }
        fdo.Flags |= DO_BUFFERED_IO;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int GpioCreateClose(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private static long Bank(GpioExtension ext, int bank) {
        return ext.ControllerBase + (long) bank * BANK_SIZE;
    }

    // ------------------------------------------------------------------ pin programming (DIRQL)

    @Role(KSynchronizeRoutine.class)
    boolean GpioEnableInterrupt(Object Context) {
        GpioExtension.PinRequest request = (GpioExtension.PinRequest) Context;
        GpioExtension ext = request.Extension;
        long regs = Bank(ext, request.Bank);
        int mask = request.Mask;
        int mode = READ_REGISTER_ULONG(regs + MODE_REGISTER);
        mode = request.LevelMode ? mode | mask : mode & ~mask;
        WRITE_REGISTER_ULONG(regs + MODE_REGISTER, mode);
        int polarity = READ_REGISTER_ULONG(regs + POLARITY_REGISTER);
        polarity = request.ActiveHigh ? polarity | mask : polarity & ~mask;
        WRITE_REGISTER_ULONG(regs + POLARITY_REGISTER, polarity);
        int direction = READ_REGISTER_ULONG(regs + DIRECTION_REGISTER);
        WRITE_REGISTER_ULONG(regs + DIRECTION_REGISTER, direction & ~mask);
        // a stale status bit would fire the moment the pin is enabled
        WRITE_REGISTER_ULONG(regs + STATUS_REGISTER, mask);
        ext.EdgePins[request.Bank] = request.LevelMode ? ext.EdgePins[request.Bank] & ~mask
                : ext.EdgePins[request.Bank] | mask;
        ext.DebouncePins[request.Bank] = request.Debounce[request.Bank] != 0 ? ext.DebouncePins[request.Bank] | mask
                : ext.DebouncePins[request.Bank] & ~mask;
        ext.EnabledPins[request.Bank] |= mask;
        WRITE_REGISTER_ULONG(regs + ENABLE_REGISTER, ext.EnabledPins[request.Bank]);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean GpioDisableInterrupt(Object Context) {
        GpioExtension.PinRequest request = (GpioExtension.PinRequest) Context;
        GpioExtension ext = request.Extension;
        ext.EnabledPins[request.Bank] &= ~request.Mask;
        ext.ActivePins[request.Bank] &= ~request.Mask;
        ext.DebouncePins[request.Bank] &= ~request.Mask;
        WRITE_REGISTER_ULONG(Bank(ext, request.Bank) + ENABLE_REGISTER, ext.EnabledPins[request.Bank]);
        return true;
    }

    /** Turns one pin off for good: a single register write, so no need for the interrupt lock. */
    private static void GpioMaskPin(GpioExtension ext, int bank, int mask) {
        ext.EnabledPins[bank] &= ~mask;
        WRITE_REGISTER_ULONG(Bank(ext, bank) + ENABLE_REGISTER, ext.EnabledPins[bank]);
    }

    /** Takes the pins the ISR saw and the current levels of all banks. */
    @Role(KSynchronizeRoutine.class)
    boolean GpioTakeActive(Object Context) {
        GpioExtension.PinRequest request = (GpioExtension.PinRequest) Context;
        GpioExtension ext = request.Extension;
        for (int bank = 0; bank < GpioExtension.TOTAL_BANKS; bank++) {
            request.Banks[bank] = ext.ActivePins[bank];
            request.Debounce[bank] = ext.DebouncePins[bank];
            ext.ActivePins[bank] = 0;
            request.Levels[bank] = READ_REGISTER_ULONG(Bank(ext, bank) + LEVEL_REGISTER);
        }
        return true;
    }

    /** Lets masked pins interrupt again, those that are still enabled. */
    @Role(KSynchronizeRoutine.class)
    boolean GpioUnmask(Object Context) {
        GpioExtension.PinRequest request = (GpioExtension.PinRequest) Context;
        GpioExtension ext = request.Extension;
        for (int bank = 0; bank < GpioExtension.TOTAL_BANKS; bank++) {
            int pins = request.Banks[bank] & ext.EnabledPins[bank];
            if (pins != 0) {
                long regs = Bank(ext, bank);
                int enable = READ_REGISTER_ULONG(regs + ENABLE_REGISTER);
                WRITE_REGISTER_ULONG(regs + ENABLE_REGISTER, enable | pins);
            }
            request.Levels[bank] = READ_REGISTER_ULONG(Bank(ext, bank) + LEVEL_REGISTER);
        }
        return true;
    }

    // ------------------------------------------------------------------ interrupt

    @Role(KServiceRoutine.class)
    boolean GpioInterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        GpioExtension ext = (GpioExtension) fdo.DeviceExtension;
        boolean any = false;
        for (int bank = 0; bank < GpioExtension.TOTAL_BANKS; bank++) {
            long regs = Bank(ext, bank);
            int status = READ_REGISTER_ULONG(regs + STATUS_REGISTER);
            int active = status & ext.EnabledPins[bank];
            if (active == 0) {
                continue;
            }
            any = true;
            // mask until the DPC has looked at them; edge status is write-1-to-clear
            int enable = READ_REGISTER_ULONG(regs + ENABLE_REGISTER);
            WRITE_REGISTER_ULONG(regs + ENABLE_REGISTER, enable & ~active);
            WRITE_REGISTER_ULONG(regs + STATUS_REGISTER, active & ext.EdgePins[bank]);
            ext.ActivePins[bank] |= active;
        }
        if (!any) {
            return false;
        }
        IoRequestDpc(fdo, null, null);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void GpioDpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        GpioExtension ext = (GpioExtension) DeviceObject.DeviceExtension;
        GpioExtension.PinRequest active = new GpioExtension.PinRequest();
        active.Extension = ext;
        KeSynchronizeExecution(ext.Interrupt, this::GpioTakeActive, active);
        GpioExtension.PinRequest unmask = new GpioExtension.PinRequest();
        unmask.Extension = ext;
        boolean debounce = false;
        KeAcquireSpinLockAtDpcLevel(ext.WaitLock);
        for (int bank = 0; bank < GpioExtension.TOTAL_BANKS; bank++) {
            int later = active.Banks[bank] & active.Debounce[bank];
            unmask.Banks[bank] = active.Banks[bank] & ~later;
            if (later != 0) {
                ext.DebouncingPins[bank] |= later;
                debounce = true;
            }
            active.Banks[bank] &= ~later;
        }
        KeReleaseSpinLockFromDpcLevel(ext.WaitLock);
        GpioCompleteWaits(ext, active);
        KeSynchronizeExecution(ext.Interrupt, this::GpioUnmask, unmask);
        if (debounce) {
            KeSetTimer(ext.DebounceTimer, DEBOUNCE_100NS, ext.DebounceDpc);
        }
    }

    @Role(KDeferredRoutine.class)
    void GpioDebounceDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        GpioExtension ext = (GpioExtension) DeferredContext;
        GpioExtension.PinRequest settled = new GpioExtension.PinRequest();
        settled.Extension = ext;
        KeAcquireSpinLockAtDpcLevel(ext.WaitLock);
        for (int bank = 0; bank < GpioExtension.TOTAL_BANKS; bank++) {
            settled.Banks[bank] = ext.DebouncingPins[bank];
            ext.DebouncingPins[bank] = 0;
        }
        KeReleaseSpinLockFromDpcLevel(ext.WaitLock);
        // unmasking also samples the levels the pins settled at
        KeSynchronizeExecution(ext.Interrupt, this::GpioUnmask, settled);
        GpioCompleteWaits(ext, settled);
    }

    /** Completes every wait whose pins are among those that changed. DISPATCH_LEVEL. */
    private void GpioCompleteWaits(GpioExtension ext, GpioExtension.PinRequest changed) {
        List<GpioExtension.PinWait> done = new ArrayList<>();
        KeAcquireSpinLockAtDpcLevel(ext.WaitLock);
        Iterator<GpioExtension.PinWait> it = ext.Waits.iterator();
        while (it.hasNext()) {
            GpioExtension.PinWait wait = it.next();
            if ((changed.Banks[wait.Bank] & wait.Mask) != 0 && IoSetCancelRoutine(wait.Irp, null) != null) {
                it.remove();
                done.add(wait);
            }
        }
        KeReleaseSpinLockFromDpcLevel(ext.WaitLock);
        for (GpioExtension.PinWait wait : done) {
            Irp irp = wait.Irp;
            WriteInt(irp.AssociatedIrp.SystemBuffer, 0, changed.Levels[wait.Bank] & wait.Mask);
            irp.IoStatus.Information = 4;
            irp.IoStatus.Status = STATUS_SUCCESS;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
        }
    }

    @Role(DriverCancel.class)
    void GpioCancelWait(DeviceObject DeviceObject, Irp Irp) {
        GpioExtension ext = (GpioExtension) DeviceObject.DeviceExtension;
        IoReleaseCancelSpinLock(Irp.CancelIrql);
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(ext.WaitLock, oldIrql);
        ext.Waits.removeIf(w -> w.Irp == Irp);
        KeReleaseSpinLock(ext.WaitLock, oldIrql.value);
        Irp.IoStatus.Status = STATUS_CANCELLED;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }

    // ------------------------------------------------------------------ IOCTLs

    private static int ReadInt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    private static void WriteInt(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    @Role(DriverDispatch.class)
    int GpioDeviceControl(DeviceObject DeviceObject, Irp Irp) {
        GpioExtension ext = (GpioExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        byte[] buffer = Irp.AssociatedIrp.SystemBuffer;
        int inLength = stack.Parameters.DeviceIoControl.InputBufferLength;
        int status;
        long information = 0;
        if (ext.Interrupt == null) {
            status = STATUS_DEVICE_NOT_READY;
        } else if (stack.Parameters.DeviceIoControl.IoControlCode == IOCTL_GPIO_READ_LEVELS) {
            if (stack.Parameters.DeviceIoControl.OutputBufferLength < 4 * GpioExtension.TOTAL_BANKS) {
                status = STATUS_BUFFER_TOO_SMALL;
            } else {
                GpioExtension.PinRequest levels = new GpioExtension.PinRequest();
                levels.Extension = ext;
                KeSynchronizeExecution(ext.Interrupt, this::GpioUnmask, levels);
                for (int bank = 0; bank < GpioExtension.TOTAL_BANKS; bank++) {
                    WriteInt(buffer, 4 * bank, levels.Levels[bank]);
                }
                information = 4 * GpioExtension.TOTAL_BANKS;
                status = STATUS_SUCCESS;
            }
        } else if (inLength < 8) {
            status = STATUS_BUFFER_TOO_SMALL;
        } else {
            int pin = ReadInt(buffer, 0);
            int flags = ReadInt(buffer, 4);
            if (pin < 0 || pin >= GpioExtension.TOTAL_BANKS * GpioExtension.PINS_PER_BANK) {
                status = STATUS_INVALID_PARAMETER;
            } else {
                GpioExtension.PinRequest request = new GpioExtension.PinRequest();
                request.Extension = ext;
                request.Bank = pin / GpioExtension.PINS_PER_BANK;
                request.Mask = 1 << (pin % GpioExtension.PINS_PER_BANK);
                request.LevelMode = (flags & 1) != 0;
                request.ActiveHigh = (flags & 2) != 0;
                request.Debounce[request.Bank] = flags & 4;
                switch (stack.Parameters.DeviceIoControl.IoControlCode) {
                    case IOCTL_GPIO_ENABLE_PIN:
                        KeSynchronizeExecution(ext.Interrupt, this::GpioEnableInterrupt, request);
                        status = STATUS_SUCCESS;
                        break;
                    case IOCTL_GPIO_DISABLE_PIN:
                        GpioMaskPin(ext, request.Bank, request.Mask); // expect: SharedContextUnsynchronized
                        status = STATUS_SUCCESS;
                        break;
                    case IOCTL_GPIO_WAIT_FOR_CHANGE:
                        return GpioQueueWait(ext, Irp, request);
                    default:
                        status = STATUS_INVALID_DEVICE_REQUEST;
                        break;
                }
            }
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    private int GpioQueueWait(GpioExtension ext, Irp Irp, GpioExtension.PinRequest request) {
        GpioExtension.PinWait wait = new GpioExtension.PinWait();
        wait.Irp = Irp;
        wait.Bank = request.Bank;
        wait.Mask = request.Mask;
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(ext.WaitLock, oldIrql);
        IoSetCancelRoutine(Irp, this::GpioCancelWait);
        if (Irp.Cancel && IoSetCancelRoutine(Irp, null) != null) {
            KeReleaseSpinLock(ext.WaitLock, oldIrql.value);
            Irp.IoStatus.Status = STATUS_CANCELLED;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_CANCELLED;
        }
        IoMarkIrpPending(Irp);
        ext.Waits.add(wait);
        KeReleaseSpinLock(ext.WaitLock, oldIrql.value);
        return STATUS_PENDING;
    }

    // ------------------------------------------------------------------ pnp

    @Role(DriverDispatch.class)
    int GpioPnp(DeviceObject DeviceObject, Irp Irp) {
        GpioExtension ext = (GpioExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE:
                status = GpioForwardAndWait(ext, Irp);
                if (NT_SUCCESS(status)) {
                    status = GpioPrepareController(ext, stack.Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            case IRP_MN_STOP_DEVICE:
            case IRP_MN_REMOVE_DEVICE:
                GpioReleaseController(ext);
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

    private int GpioForwardAndWait(GpioExtension ext, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::GpioStartCompletion, event, true, true, true);
        int status = IoCallDriver(ext.LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(event, Executive, KernelMode, false, null);
            status = Irp.IoStatus.Status;
        }
        return status;
    }

    @Role(IoCompletionRoutine.class)
    int GpioStartCompletion(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    /** Maps the register block, quiets every bank, then connects the interrupt. */
    private int GpioPrepareController(GpioExtension ext, CmResourceList resources) {
        boolean haveMemory = false;
        boolean haveInterrupt = false;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            switch (d.Type) {
                case CmResourceTypeMemory:
                    if (!haveMemory) {
                        ext.PhysicalBase = d.u.Memory.Start;
                        ext.RegisterLength = d.u.Memory.Length;
                        haveMemory = true;
                    }
                    break;
                case CmResourceTypeInterrupt:
                    ext.Vector = d.u.Interrupt.Vector;
                    ext.Irql = d.u.Interrupt.Level;
                    ext.Affinity = d.u.Interrupt.Affinity;
                    haveInterrupt = true;
                    break;
                default:
                    break;
            }
        }
        if (!haveMemory || !haveInterrupt || ext.RegisterLength < GpioExtension.TOTAL_BANKS * BANK_SIZE) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        ext.ControllerBase = MmMapIoSpace(ext.PhysicalBase, ext.RegisterLength, MmNonCached);
        if (ext.ControllerBase == 0) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        for (int bank = 0; bank < GpioExtension.TOTAL_BANKS; bank++) {
            long regs = Bank(ext, bank);
            WRITE_REGISTER_ULONG(regs + ENABLE_REGISTER, 0);
            WRITE_REGISTER_ULONG(regs + STATUS_REGISTER, 0xffffffff);
            ext.EnabledPins[bank] = 0;
            ext.ActivePins[bank] = 0;
        }
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::GpioInterruptService, ext.Self, null, ext.Vector, ext.Irql,
                ext.Irql, LevelSensitive, true, ext.Affinity, false);
        if (!NT_SUCCESS(status)) {
            MmUnmapIoSpace(ext.ControllerBase, ext.RegisterLength);
            ext.ControllerBase = 0;
            return status;
        }
        ext.Interrupt = interrupt.value;
        return STATUS_SUCCESS;
    }

    @Role(KSynchronizeRoutine.class)
    boolean GpioDisableAll(Object Context) {
        GpioExtension ext = (GpioExtension) Context;
        for (int bank = 0; bank < GpioExtension.TOTAL_BANKS; bank++) {
            ext.EnabledPins[bank] = 0;
            WRITE_REGISTER_ULONG(Bank(ext, bank) + ENABLE_REGISTER, 0);
        }
        return true;
    }

    private void GpioReleaseController(GpioExtension ext) {
        if (ext.Interrupt == null) {
            return;
        }
        KeCancelTimer(ext.DebounceTimer);
        KeSynchronizeExecution(ext.Interrupt, this::GpioDisableAll, ext);
        IoDisconnectInterrupt(ext.Interrupt);
        ext.Interrupt = null;
        MmUnmapIoSpace(ext.ControllerBase, ext.RegisterLength);
        ext.ControllerBase = 0;
    }

    @Role(DriverUnload.class)
    void GpioUnload(DriverObject DriverObject) {
    }
}
