package corpus.mpu401deadmanlock;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * MPU-401 in UART mode: reset (0xFF, ack 0xFE), then command 0x3F; after that the data port carries
 * raw MIDI both ways. Writes are queued and fed to the data port inside a SynchCritSection as long as
 * the status register's DRR bit says the output FIFO has room; when it is full the remainder waits
 * for a 1 ms timer, with a dead-man count of failed tries. The ISR drains input bytes (DSR clear)
 * into a software FIFO and queues a service DPC that satisfies pending reads.
 * Re-expressed from: reactos/reactos/drivers/wdm/audio/backpln/portcls/miniport_dmus.cpp (structure and facts, not code).
 */
@HardwareId("SIM\\MPU401")
public final class Mpu401Driver {
    static final int MPU401_REG_DATA = 0x00;
    static final int MPU401_REG_STATUS = 0x01;
    static final int MPU401_REG_COMMAND = 0x01;
    static final int MPU401_DRR = 0x40; // set: output FIFO full
    static final int MPU401_DSR = 0x80; // set: input FIFO empty
    static final int MPU401_CMD_RESET = 0xFF;
    static final int MPU401_CMD_UART = 0x3F;
    static final int MPU401_ACK = 0xFE;
    static final int MAX_FAILED_TRIES = 0x100;
    static final int WRITE_RETRY_100NS = -10_000;
    static final int MPU_TAG = 0x3155504d;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::MpuAddDevice;
        DriverObject.DriverUnload = this::MpuUnload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::MpuCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::MpuCreateClose;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = this::MpuWrite;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::MpuRead;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::MpuPnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int MpuAddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, MpuExtension.class, null, FILE_DEVICE_UNKNOWN, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        MpuExtension ext = (MpuExtension) fdo.DeviceExtension;
        ext.Self = fdo;
        KeInitializeSpinLock(ext.DpcSpinLock);
        KeInitializeSpinLock(ext.ReadLock);
        KeInitializeTimer(ext.TimerEvent);
        KeInitializeDpc(ext.TimerDpc, this::MpuTimerDpc, ext);
        KeInitializeDpc(ext.ServiceDpc, this::MpuServiceDpc, ext);
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
    int MpuCreateClose(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    // ------------------------------------------------------------------ hardware

    /** Sends one command or data byte once the output FIFO has room. Any IRQL. */
    private static boolean MpuWriteByte(long portBase, int register, int value) {
        for (int tries = 0; tries < 1000; tries++) {
            if ((READ_PORT_UCHAR(portBase + MPU401_REG_STATUS) & MPU401_DRR) == 0) {
                WRITE_PORT_UCHAR(portBase + register, (byte) value);
                return true;
            }
            KeStallExecutionProcessor(10);
        }
        return false;
    }

    /** Waits for the acknowledge byte after a command. */
    private static boolean MpuWaitForAck(long portBase) {
        for (int tries = 0; tries < 1000; tries++) {
            if ((READ_PORT_UCHAR(portBase + MPU401_REG_STATUS) & MPU401_DSR) == 0) {
                if ((READ_PORT_UCHAR(portBase + MPU401_REG_DATA) & 0xff) == MPU401_ACK) {
                    return true;
                }
            }
            KeStallExecutionProcessor(10);
        }
        return false;
    }

    /** Resets the MPU before its interrupt is connected. PASSIVE_LEVEL. */
    private int MpuResetHardware(long portBase) {
        if (!MpuWriteByte(portBase, MPU401_REG_COMMAND, MPU401_CMD_RESET)) {
            return STATUS_IO_TIMEOUT;
        }
        if (!MpuWaitForAck(portBase)) {
            // some clones are already in UART mode and answer a reset with silence: try once more
            MpuWriteByte(portBase, MPU401_REG_COMMAND, MPU401_CMD_RESET);
            if (!MpuWaitForAck(portBase)) {
                return STATUS_DEVICE_NOT_READY;
            }
        }
        return STATUS_SUCCESS;
    }

    /** Switches to UART mode and empties the input FIFO; runs synchronized with the ISR. */
    @Role(KSynchronizeRoutine.class)
    boolean MpuInitUart(Object Context) {
        MpuExtension ext = (MpuExtension) Context;
        if (!MpuWriteByte(ext.PortBase, MPU401_REG_COMMAND, MPU401_CMD_UART)) {
            return false;
        }
        MpuWaitForAck(ext.PortBase);
        while ((READ_PORT_UCHAR(ext.PortBase + MPU401_REG_STATUS) & MPU401_DSR) == 0) {
            READ_PORT_UCHAR(ext.PortBase + MPU401_REG_DATA);
        }
        ext.InputHead = 0;
        ext.InputTail = 0;
        ext.MpuInitialized = true;
        return true;
    }

    // ------------------------------------------------------------------ render (write)

    @Role(DriverDispatch.class)
    int MpuWrite(DeviceObject DeviceObject, Irp Irp) {
        MpuExtension ext = (MpuExtension) DeviceObject.DeviceExtension;
        if (!ext.MpuInitialized) {
            Irp.IoStatus.Status = STATUS_DEVICE_NOT_READY;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_DEVICE_NOT_READY;
        }
        Irp.IoStatus.Information = 0;
        IoMarkIrpPending(Irp);
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(ext.DpcSpinLock, oldIrql);
        ext.WriteQueue.addLast(Irp);
        KeReleaseSpinLock(ext.DpcSpinLock, oldIrql.value);
        MpuExtension.Completions done = new MpuExtension.Completions();
        int irql = KeRaiseIrqlToDpcLevel();
        MpuConsumeEvents(ext, done);
        KeLowerIrql(irql);
        MpuCompleteAll(done, IO_NO_INCREMENT); // expect: SpinLockSafe
        return STATUS_PENDING; // expect: SpinLock
    }

    /**
     * Sends queued MIDI bytes until the queue is empty or the device stops taking them; then arms the
     * retry timer. DISPATCH_LEVEL. Finished IRPs are handed back in done, to be completed unlocked.
     */
    @IrqlRequires(DISPATCH_LEVEL)
    private void MpuConsumeEvents(MpuExtension ext, MpuExtension.Completions done) {
        KeAcquireSpinLockAtDpcLevel(ext.DpcSpinLock);
        while (!ext.WriteQueue.isEmpty()) {
            Irp irp = ext.WriteQueue.peekFirst();
            int length = IoGetCurrentIrpStackLocation(irp).Parameters.Write.Length;
            MpuExtension.SyncWriteContext write = new MpuExtension.SyncWriteContext();
            write.Extension = ext;
            write.Buffer = irp.AssociatedIrp.SystemBuffer;
            write.Offset = ext.WriteOffset;
            write.Length = length - ext.WriteOffset;
            MpuSynchronizedWrite(ext, write);
            ext.WriteOffset += write.BytesWritten;
            if (ext.WriteOffset == length) {
                ext.WriteQueue.removeFirst();
                ext.WriteOffset = 0;
                ext.NumberOfRetries = 0;
                irp.IoStatus.Status = STATUS_SUCCESS;
                irp.IoStatus.Information = length;
                done.Irps.add(irp);
                continue;
            }
            if (write.BytesWritten == 0 && ++ext.NumberOfRetries > MAX_FAILED_TRIES) {
                // the hardware stopped taking data: fail what it has, keep the rest going
                ext.WriteQueue.removeFirst();
                irp.IoStatus.Status = STATUS_IO_TIMEOUT;
                irp.IoStatus.Information = ext.WriteOffset;
                ext.WriteOffset = 0;
                ext.NumberOfRetries = 0;
                done.Irps.add(irp);
                return;
            }
            if (!ext.TimerQueued) {
                ext.TimerQueued = true;
                KeSetTimer(ext.TimerEvent, WRITE_RETRY_100NS, ext.TimerDpc);
            }
            break;
        }
        KeReleaseSpinLockFromDpcLevel(ext.DpcSpinLock);
    }

    /** Routes a write through the interrupt lock when the device has an IRQ, directly otherwise. */
    private void MpuSynchronizedWrite(MpuExtension ext, MpuExtension.SyncWriteContext write) {
        if (ext.UseIrq) {
            KeSynchronizeExecution(ext.Interrupt, this::SynchronizedMpuWrite, write);
        } else {
            SynchronizedMpuWrite(write);
        }
    }

    @Role(KSynchronizeRoutine.class)
    boolean SynchronizedMpuWrite(Object Context) {
        MpuExtension.SyncWriteContext write = (MpuExtension.SyncWriteContext) Context;
        long port = write.Extension.PortBase;
        write.BytesWritten = 0;
        while (write.BytesWritten < write.Length) {
            int status = READ_PORT_UCHAR(port + MPU401_REG_STATUS) & 0xff;
            if ((status & MPU401_DRR) != 0) {
                break;
            }
            WRITE_PORT_UCHAR(port + MPU401_REG_DATA, write.Buffer[write.Offset + write.BytesWritten]);
            write.BytesWritten++;
        }
        return true;
    }

    @Role(KDeferredRoutine.class)
    void MpuTimerDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        MpuExtension ext = (MpuExtension) DeferredContext;
        KeAcquireSpinLockAtDpcLevel(ext.DpcSpinLock);
        ext.TimerQueued = false;
        KeReleaseSpinLockFromDpcLevel(ext.DpcSpinLock);
        MpuExtension.Completions done = new MpuExtension.Completions();
        MpuConsumeEvents(ext, done);
        MpuCompleteAll(done, IO_NO_INCREMENT); // expect: SpinLockSafe
    } // expect: SpinLock

    private void MpuCompleteAll(MpuExtension.Completions done, int boost) {
        for (Irp irp : done.Irps) {
            IoCompleteRequest(irp, boost);
        }
    }

    // ------------------------------------------------------------------ capture (read)

    @Role(DriverDispatch.class)
    int MpuRead(DeviceObject DeviceObject, Irp Irp) {
        MpuExtension ext = (MpuExtension) DeviceObject.DeviceExtension;
        if (!ext.UseIrq || IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length == 0) {
            int status = ext.UseIrq ? STATUS_SUCCESS : STATUS_NOT_SUPPORTED;
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(ext.ReadLock, oldIrql);
        IoSetCancelRoutine(Irp, this::MpuCancelRead);
        if (Irp.Cancel && IoSetCancelRoutine(Irp, null) != null) {
            KeReleaseSpinLock(ext.ReadLock, oldIrql.value);
            Irp.IoStatus.Status = STATUS_CANCELLED;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_CANCELLED;
        }
        IoMarkIrpPending(Irp);
        ext.ReadQueue.addLast(Irp);
        KeReleaseSpinLock(ext.ReadLock, oldIrql.value);
        // input may already be waiting in the FIFO
        KeInsertQueueDpc(ext.ServiceDpc, null, null);
        return STATUS_PENDING;
    }

    @Role(DriverCancel.class)
    void MpuCancelRead(DeviceObject DeviceObject, Irp Irp) {
        MpuExtension ext = (MpuExtension) DeviceObject.DeviceExtension;
        IoReleaseCancelSpinLock(Irp.CancelIrql);
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(ext.ReadLock, oldIrql);
        ext.ReadQueue.remove(Irp);
        KeReleaseSpinLock(ext.ReadLock, oldIrql.value);
        Irp.IoStatus.Status = STATUS_CANCELLED;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }

    /** Takes every byte the ISR has put into the software FIFO. DIRQL. */
    @Role(KSynchronizeRoutine.class)
    boolean MpuTakeInput(Object Context) {
        MpuExtension.SyncReadContext read = (MpuExtension.SyncReadContext) Context;
        MpuExtension ext = read.Extension;
        int n = (ext.InputTail - ext.InputHead + ext.InputBuffer.length) % ext.InputBuffer.length;
        n = Math.min(n, read.Data.length);
        for (int i = 0; i < n; i++) {
            read.Data[i] = ext.InputBuffer[ext.InputHead];
            ext.InputHead = (ext.InputHead + 1) % ext.InputBuffer.length;
        }
        read.Count = n;
        return true;
    }

    @Role(KDeferredRoutine.class)
    void MpuServiceDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        MpuExtension ext = (MpuExtension) DeferredContext;
        MpuExtension.Completions done = new MpuExtension.Completions();
        KeAcquireSpinLockAtDpcLevel(ext.ReadLock);
        Irp irp = ext.ReadQueue.peekFirst();
        if (irp != null) {
            MpuExtension.SyncReadContext read = new MpuExtension.SyncReadContext();
            read.Extension = ext;
            read.Data = new byte[IoGetCurrentIrpStackLocation(irp).Parameters.Read.Length];
            KeSynchronizeExecution(ext.Interrupt, this::MpuTakeInput, read);
            if (read.Count > 0 && IoSetCancelRoutine(irp, null) != null) {
                ext.ReadQueue.removeFirst();
                RtlCopyMemory(irp.AssociatedIrp.SystemBuffer, 0, read.Data, 0, read.Count);
                irp.IoStatus.Status = STATUS_SUCCESS;
                irp.IoStatus.Information = read.Count;
                done.Irps.add(irp);
            }
        }
        KeReleaseSpinLockFromDpcLevel(ext.ReadLock);
        MpuCompleteAll(done, IO_NO_INCREMENT);
    }

    @Role(KServiceRoutine.class)
    boolean MpuInterruptService(KInterrupt Interrupt, Object ServiceContext) {
        MpuExtension ext = (MpuExtension) ServiceContext;
        if (!ext.MpuInitialized) {
            return false;
        }
        boolean ours = false;
        while ((READ_PORT_UCHAR(ext.PortBase + MPU401_REG_STATUS) & MPU401_DSR) == 0) {
            ours = true;
            byte data = READ_PORT_UCHAR(ext.PortBase + MPU401_REG_DATA);
            int next = (ext.InputTail + 1) % ext.InputBuffer.length;
            if (next == ext.InputHead) {
                ext.InputOverruns++;
            } else {
                ext.InputBuffer[ext.InputTail] = data;
                ext.InputTail = next;
            }
        }
        if (ours) {
            KeInsertQueueDpc(ext.ServiceDpc, null, null);
        }
        return ours;
    }

    // ------------------------------------------------------------------ pnp

    @Role(DriverDispatch.class)
    int MpuPnp(DeviceObject DeviceObject, Irp Irp) {
        MpuExtension ext = (MpuExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE:
                status = MpuForwardAndWait(ext, Irp);
                if (NT_SUCCESS(status)) {
                    status = MpuStartDevice(ext, stack.Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            case IRP_MN_STOP_DEVICE:
            case IRP_MN_REMOVE_DEVICE:
                MpuStopDevice(ext);
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

    private int MpuForwardAndWait(MpuExtension ext, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::MpuStartCompletion, event, true, true, true);
        int status = IoCallDriver(ext.LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(event, Executive, KernelMode, false, null);
            status = Irp.IoStatus.Status;
        }
        return status;
    }

    @Role(IoCompletionRoutine.class)
    int MpuStartCompletion(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    private int MpuStartDevice(MpuExtension ext, CmResourceList resources) {
        boolean havePort = false;
        ext.UseIrq = false;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypePort && !havePort) {
                ext.PortBase = d.u.Port.Start;
                havePort = true;
            } else if (d.Type == CmResourceTypeInterrupt) {
                ext.Vector = d.u.Interrupt.Vector;
                ext.Irql = d.u.Interrupt.Level;
                ext.Affinity = d.u.Interrupt.Affinity;
                ext.UseIrq = true;
            }
        }
        if (!havePort) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        int status = MpuResetHardware(ext.PortBase);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        if (!ext.UseIrq) {
            // render-only without an interrupt: program it directly
            return MpuInitUart(ext) ? STATUS_SUCCESS : STATUS_DEVICE_NOT_READY;
        }
        Out<KInterrupt> interrupt = new Out<>();
        status = IoConnectInterrupt(interrupt, this::MpuInterruptService, ext, null, ext.Vector, ext.Irql, ext.Irql,
                Latched, true, ext.Affinity, false);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        ext.Interrupt = interrupt.value;
        if (!KeSynchronizeExecution(ext.Interrupt, this::MpuInitUart, ext)) {
            IoDisconnectInterrupt(ext.Interrupt);
            ext.Interrupt = null;
            return STATUS_DEVICE_NOT_READY;
        }
        return STATUS_SUCCESS;
    }

    private void MpuStopDevice(MpuExtension ext) {
        KeCancelTimer(ext.TimerEvent);
        if (ext.Interrupt != null) {
            IoDisconnectInterrupt(ext.Interrupt);
            ext.Interrupt = null;
        }
        ext.MpuInitialized = false;
        // back to intelligent mode so a later start finds the reset state
        MpuWriteByte(ext.PortBase, MPU401_REG_COMMAND, MPU401_CMD_RESET);
    }

    @Role(DriverUnload.class)
    void MpuUnload(DriverObject DriverObject) {
    }
}
