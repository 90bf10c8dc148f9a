package corpus.cmosrtcunlocktwice;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * Driver for the MC146818-compatible CMOS clock behind index/data ports 0x70/0x71, with its periodic
 * interrupt. The ISR reads register C (which acknowledges the interrupt), accumulates the count and
 * the flags and requests the DpcForIsr, which hands the accumulated word to the oldest waiting read.
 * Every other CMOS access (the index write and the data access that follows it) happens inside a
 * SynchCritSection. An IoTimer notices when a periodic interrupt stops arriving, logs it and
 * re-arms the chip by reading register C again.
 * Re-expressed from: torvalds/linux/drivers/char/rtc.c (structure and facts, not code).
 */
@HardwareId("SIM\\CMOSRTC")
public final class RtcDriver {
    static final int RTC_SECONDS = 0x00;
    static final int RTC_MINUTES = 0x02;
    static final int RTC_HOURS = 0x04;
    static final int RTC_DAY_OF_MONTH = 0x07;
    static final int RTC_MONTH = 0x08;
    static final int RTC_YEAR = 0x09;
    static final int RTC_FREQ_SELECT = 0x0A; // register A
    static final int RTC_CONTROL = 0x0B; // register B
    static final int RTC_INTR_FLAGS = 0x0C; // register C, read to acknowledge
    static final int RTC_UIP = 0x80;
    static final int RTC_PIE = 0x40;
    static final int RTC_AIE = 0x20;
    static final int RTC_UIE = 0x10;
    static final int RTC_IRQF = 0x80;
    static final int RTC_DIV_32768 = 0x20;
    static final int RTC_TAG = 0x20435452;
    static final int RTC_ERR_LOST_INTERRUPTS = 0xC0070001;

    static final int IOCTL_RTC_PIE_ON = 0x00220004;
    static final int IOCTL_RTC_PIE_OFF = 0x00220008;
    static final int IOCTL_RTC_IRQP_SET = 0x0022000c;
    static final int IOCTL_RTC_RD_TIME = 0x00220010;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::RtcAddDevice;
        DriverObject.DriverUnload = this::RtcUnload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::RtcCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::RtcCreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::RtcRead;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = this::RtcIoctl;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::RtcPnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int RtcAddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, RtcExtension.class, null, FILE_DEVICE_UNKNOWN, 0, true, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        RtcExtension ext = (RtcExtension) fdo.DeviceExtension;
        ext.Self = fdo;
        ext.Frequency = 1024;
        IoInitializeRemoveLock(ext.RemoveLock, RTC_TAG, 0, 0);
        KeInitializeSpinLock(ext.ReadLock);
        IoInitializeDpcRequest(fdo, this::RtcDpcForIsr);
        status = IoInitializeTimer(fdo, this::RtcWatchdog, ext);
        if (!NT_SUCCESS(status)) {
            IoDeleteDevice(fdo);
            return status;
        }
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
    int RtcCreateClose(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    // ------------------------------------------------------------------ CMOS access

    /** One CMOS register read: index, then data. Callers hold the interrupt spin lock. */
    private static int CmosRead(RtcExtension ext, int register) {
        WRITE_PORT_UCHAR(ext.IndexPort, (byte) register);
        return READ_PORT_UCHAR(ext.DataPort) & 0xff;
    }

    private static void CmosWrite(RtcExtension ext, int register, int value) {
        WRITE_PORT_UCHAR(ext.IndexPort, (byte) register);
        WRITE_PORT_UCHAR(ext.DataPort, (byte) value);
    }

    @Role(KSynchronizeRoutine.class)
    boolean RtcSetIrqBits(Object Context) {
        RtcExtension.CmosRequest request = (RtcExtension.CmosRequest) Context;
        RtcExtension ext = request.Extension;
        int b = CmosRead(ext, RTC_CONTROL);
        b = (b & ~request.Register) | request.Value;
        CmosWrite(ext, RTC_CONTROL, b);
        ext.RegisterB = b;
        CmosRead(ext, RTC_INTR_FLAGS);
        if ((b & RTC_PIE) == 0) {
            ext.IrqData = 0;
        }
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean RtcSetRate(Object Context) {
        RtcExtension.CmosRequest request = (RtcExtension.CmosRequest) Context;
        RtcExtension ext = request.Extension;
        int a = CmosRead(ext, RTC_FREQ_SELECT) & 0xf0;
        CmosWrite(ext, RTC_FREQ_SELECT, a | request.Value);
        return true;
    }

    /** Reads the time once no update is in progress; fails if the chip stays busy. */
    @Role(KSynchronizeRoutine.class)
    boolean RtcReadTime(Object Context) {
        RtcExtension.CmosRequest request = (RtcExtension.CmosRequest) Context;
        RtcExtension ext = request.Extension;
        for (int tries = 0; (CmosRead(ext, RTC_FREQ_SELECT) & RTC_UIP) != 0; tries++) {
            if (tries == 1000) {
                return false;
            }
            KeStallExecutionProcessor(1);
        }
        int[] registers = {RTC_SECONDS, RTC_MINUTES, RTC_HOURS, RTC_DAY_OF_MONTH, RTC_MONTH, RTC_YEAR};
        for (int i = 0; i < registers.length; i++) {
            request.Time[i] = (byte) CmosRead(ext, registers[i]);
        }
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean RtcTakeIrqData(Object Context) {
        RtcExtension.CmosRequest request = (RtcExtension.CmosRequest) Context;
        RtcExtension ext = request.Extension;
        request.Result = ext.IrqData;
        request.Value = ext.TotalInterrupts;
        ext.IrqData = 0;
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean RtcReadTotal(Object Context) {
        RtcExtension.CmosRequest request = (RtcExtension.CmosRequest) Context;
        request.Value = request.Extension.TotalInterrupts;
        // a dropped interrupt leaves register C's flag set and the chip silent: reading it re-arms
        if (request.Register != 0) {
            CmosRead(request.Extension, RTC_INTR_FLAGS);
        }
        return true;
    }

    // ------------------------------------------------------------------ read queue

    private int LockReads(RtcExtension ext) {
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(ext.ReadLock, oldIrql);
        return oldIrql.value;
    }

    private void UnlockReads(RtcExtension ext, int oldIrql) {
        KeReleaseSpinLock(ext.ReadLock, oldIrql);
    }

    @Role(DriverDispatch.class)
    int RtcRead(DeviceObject DeviceObject, Irp Irp) {
        RtcExtension ext = (RtcExtension) DeviceObject.DeviceExtension;
        int status;
        if (IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length < 4) {
            status = STATUS_INVALID_PARAMETER;
        } else if (!ext.PeriodicOn) {
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
        int irql = LockReads(ext);
        IoSetCancelRoutine(Irp, this::RtcCancelRead);
        if (Irp.Cancel && IoSetCancelRoutine(Irp, null) != null) {
            UnlockReads(ext, irql);
            Irp.IoStatus.Status = STATUS_CANCELLED;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(ext.RemoveLock, Irp);
            return STATUS_CANCELLED;
        }
        IoMarkIrpPending(Irp);
        ext.PendingReads.addLast(Irp);
        UnlockReads(ext, irql);
        return STATUS_PENDING;
    }

    @Role(DriverCancel.class)
    void RtcCancelRead(DeviceObject DeviceObject, Irp Irp) {
        RtcExtension ext = (RtcExtension) DeviceObject.DeviceExtension;
        IoReleaseCancelSpinLock(Irp.CancelIrql);
        int irql = LockReads(ext);
        ext.PendingReads.remove(Irp);
        UnlockReads(ext, irql);
        Irp.IoStatus.Status = STATUS_CANCELLED;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        IoReleaseRemoveLock(ext.RemoveLock, Irp);
    }

    /** Takes the oldest read that is not being cancelled, or null. ReadLock held. */
    private Irp DequeueRead(RtcExtension ext) {
        while (!ext.PendingReads.isEmpty()) {
            Irp irp = ext.PendingReads.removeFirst();
            if (IoSetCancelRoutine(irp, null) != null) {
                return irp;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ interrupt

    @Role(KServiceRoutine.class)
    boolean RtcInterrupt(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        RtcExtension ext = (RtcExtension) fdo.DeviceExtension;
        int flags = CmosRead(ext, RTC_INTR_FLAGS);
        if ((flags & RTC_IRQF) == 0) {
            return false;
        }
        ext.IrqData += 0x100;
        ext.IrqData &= ~0xff;
        ext.IrqData |= flags & 0xf0;
        ext.TotalInterrupts++;
        IoRequestDpc(fdo, null, null);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void RtcDpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        RtcExtension ext = (RtcExtension) DeviceObject.DeviceExtension;
        KeAcquireSpinLockAtDpcLevel(ext.ReadLock);
        if (ext.PendingReads.isEmpty()) {
            // nobody waits: the count keeps accumulating for the next reader
            KeReleaseSpinLockFromDpcLevel(ext.ReadLock);
            return;
        }
        RtcExtension.CmosRequest take = new RtcExtension.CmosRequest();
        take.Extension = ext;
        KeSynchronizeExecution(ext.Interrupt, this::RtcTakeIrqData, take);
        Irp read = DequeueRead(ext);
        KeReleaseSpinLockFromDpcLevel(ext.ReadLock);
        if (read == null) {
            return;
        }
        byte[] out = read.AssociatedIrp.SystemBuffer;
        for (int i = 0; i < 4; i++) {
            out[i] = (byte) (take.Result >>> (8 * i));
        }
        read.IoStatus.Information = 4;
        read.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(read, IO_NO_INCREMENT);
        IoReleaseRemoveLock(ext.RemoveLock, read);
    }

    // ------------------------------------------------------------------ watchdog

    @Role(IoTimerRoutine.class)
    void RtcWatchdog(DeviceObject DeviceObject, Object Context) {
        RtcExtension ext = (RtcExtension) Context;
        if (!ext.PeriodicOn || ext.Interrupt == null) {
            return;
        }
        RtcExtension.CmosRequest request = new RtcExtension.CmosRequest();
        request.Extension = ext;
        request.Register = 0;
        KeSynchronizeExecution(ext.Interrupt, this::RtcReadTotal, request);
        if (request.Value != ext.CountAtLastTick) {
            ext.CountAtLastTick = request.Value;
            return;
        }
        // a whole second without a periodic interrupt: some were lost
        ext.LostIntervals++;
        request.Register = RTC_INTR_FLAGS;
        KeSynchronizeExecution(ext.Interrupt, this::RtcReadTotal, request);
        RtcLogLostInterrupts(ext);
    }

    private void RtcLogLostInterrupts(RtcExtension ext) {
        IoErrorLogPacket packet = IoAllocateErrorLogEntry(ext.Self, 48);
        if (packet == null) {
            return;
        }
        packet.ErrorCode = RTC_ERR_LOST_INTERRUPTS;
        packet.UniqueErrorValue = ext.Frequency;
        packet.RetryCount = ext.LostIntervals;
        packet.FinalStatus = STATUS_SUCCESS;
        IoWriteErrorLogEntry(packet);
    }

    // ------------------------------------------------------------------ ioctl

    @Role(DriverDispatch.class)
    int RtcIoctl(DeviceObject DeviceObject, Irp Irp) {
        RtcExtension ext = (RtcExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        RtcExtension.CmosRequest request = new RtcExtension.CmosRequest();
        request.Extension = ext;
        int status = STATUS_SUCCESS;
        long information = 0;
        if (ext.Interrupt == null) {
            status = STATUS_DEVICE_NOT_READY;
        } else {
            switch (stack.Parameters.DeviceIoControl.IoControlCode) {
                case IOCTL_RTC_PIE_ON:
                    status = RtcSetPeriodic(ext, true);
                    break;
                case IOCTL_RTC_PIE_OFF:
                    status = RtcSetPeriodic(ext, false); // expect: SpinLock, IrqlDispatch
                    break;
                case IOCTL_RTC_IRQP_SET:
                    if (stack.Parameters.DeviceIoControl.InputBufferLength < 4) {
                        status = STATUS_BUFFER_TOO_SMALL;
                        break;
                    }
                    byte[] in = Irp.AssociatedIrp.SystemBuffer;
                    int hz = (in[0] & 0xff) | (in[1] & 0xff) << 8;
                    status = RtcSetFrequency(ext, hz);
                    break;
                case IOCTL_RTC_RD_TIME:
                    if (stack.Parameters.DeviceIoControl.OutputBufferLength < 6) {
                        status = STATUS_BUFFER_TOO_SMALL;
                    } else if (!KeSynchronizeExecution(ext.Interrupt, this::RtcReadTime, request)) {
                        status = STATUS_IO_TIMEOUT;
                    } else {
                        RtlCopyMemory(Irp.AssociatedIrp.SystemBuffer, 0, request.Time, 0, 6);
                        information = 6;
                    }
                    break;
                default:
                    status = STATUS_INVALID_DEVICE_REQUEST;
                    break;
            }
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    private int RtcSetPeriodic(RtcExtension ext, boolean on) {
        RtcExtension.CmosRequest request = new RtcExtension.CmosRequest();
        request.Extension = ext;
        request.Register = RTC_PIE;
        request.Value = on ? RTC_PIE : 0;
        KeSynchronizeExecution(ext.Interrupt, this::RtcSetIrqBits, request);
        ext.PeriodicOn = on;
        if (!on) {
            RtcFailPendingReads(ext);
        }
        return STATUS_SUCCESS;
    }

    /** Rates are powers of two from 2 to 8192 Hz; register A holds 16 - log2(Hz) + 1. */
    private int RtcSetFrequency(RtcExtension ext, int hz) {
        if (hz < 2 || hz > 8192 || (hz & (hz - 1)) != 0) {
            return STATUS_INVALID_PARAMETER;
        }
        int rate = 1;
        while ((32768 >> (rate - 1)) != hz) {
            rate++;
        }
        RtcExtension.CmosRequest request = new RtcExtension.CmosRequest();
        request.Extension = ext;
        request.Value = rate;
        KeSynchronizeExecution(ext.Interrupt, this::RtcSetRate, request);
        ext.Frequency = hz;
        return STATUS_SUCCESS;
    }

    private void RtcFailPendingReads(RtcExtension ext) {
        while (true) {
            int irql = LockReads(ext);
            Irp irp = DequeueRead(ext);
            if (irp == null) {
                UnlockReads(ext, irql);
            }
            UnlockReads(ext, irql);
            if (irp == null) {
                return;
            }
            irp.IoStatus.Status = STATUS_CANCELLED;
            irp.IoStatus.Information = 0;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(ext.RemoveLock, irp);
        }
    }

    // ------------------------------------------------------------------ pnp

    @Role(DriverDispatch.class)
    int RtcPnp(DeviceObject DeviceObject, Irp Irp) {
        RtcExtension ext = (RtcExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE:
                status = RtcForwardAndWait(ext, Irp);
                if (NT_SUCCESS(status)) {
                    status = RtcStartDevice(ext, stack.Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            case IRP_MN_REMOVE_DEVICE:
                IoAcquireRemoveLock(ext.RemoveLock, Irp);
                RtcStopDevice(ext); // expect: SpinLock, IrqlDispatch
                IoReleaseRemoveLockAndWait(ext.RemoveLock, Irp);
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

    private int RtcForwardAndWait(RtcExtension ext, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::RtcStartCompletion, event, true, true, true);
        int status = IoCallDriver(ext.LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(event, Executive, KernelMode, false, null);
            status = Irp.IoStatus.Status;
        }
        return status;
    }

    @Role(IoCompletionRoutine.class)
    int RtcStartCompletion(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    private int RtcStartDevice(RtcExtension ext, CmResourceList resources) {
        boolean havePorts = false;
        boolean haveIrq = false;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypePort && d.u.Port.Length >= 2) {
                ext.IndexPort = d.u.Port.Start;
                ext.DataPort = d.u.Port.Start + 1;
                havePorts = true;
            } else if (d.Type == CmResourceTypeInterrupt) {
                ext.Vector = d.u.Interrupt.Vector;
                ext.Irql = d.u.Interrupt.Level;
                ext.Affinity = d.u.Interrupt.Affinity;
                haveIrq = true;
            }
        }
        if (!havePorts || !haveIrq) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        // interrupts off and the oscillator at 32.768 kHz before the ISR can run
        ext.RegisterB = CmosRead(ext, RTC_CONTROL) & ~(RTC_PIE | RTC_AIE | RTC_UIE);
        CmosWrite(ext, RTC_CONTROL, ext.RegisterB);
        CmosWrite(ext, RTC_FREQ_SELECT, RTC_DIV_32768 | 6);
        CmosRead(ext, RTC_INTR_FLAGS);
        ext.IrqData = 0;
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::RtcInterrupt, ext.Self, null, ext.Vector, ext.Irql, ext.Irql,
                Latched, false, ext.Affinity, false);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        ext.Interrupt = interrupt.value;
        ext.CountAtLastTick = 0;
        IoStartTimer(ext.Self);
        return STATUS_SUCCESS;
    }

    private void RtcStopDevice(RtcExtension ext) {
        if (ext.Interrupt == null) {
            return;
        }
        IoStopTimer(ext.Self);
        RtcSetPeriodic(ext, false);
        IoDisconnectInterrupt(ext.Interrupt);
        ext.Interrupt = null;
    }

    @Role(DriverUnload.class)
    void RtcUnload(DriverObject DriverObject) {
    }
}
