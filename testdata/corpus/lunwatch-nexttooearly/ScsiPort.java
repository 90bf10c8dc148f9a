package corpus.lunwatchnexttooearly;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

import java.util.ArrayList;
import java.util.List;

/**
 * A port driver for a simple host adapter with up to eight targets. Each target gets a device
 * object of its own, but the adapter has one interrupt and one completion DPC: the ISR collects
 * which targets finished (and their status) into the adapter's interrupt data and queues the DPC,
 * which takes a snapshot of that data inside a SynchCritSection and finishes the requests of all
 * the logical units named in it, starting each unit's next request. The adapter's IoTimer is the
 * watchdog: once a second it retries requests a target answered BUSY and counts down each active
 * request; one that runs out is aborted at the target and completed with STATUS_IO_TIMEOUT.
 * Re-expressed from: reactos/reactos/drivers/storage/port/scsiport/scsiport.c (ScsiPortIoTimer, ScsiPortIsr, ScsiPortDpcForIsr; structure and facts, not code).
 */
@HardwareId("SIM\\LUNHBA")
public final class ScsiPort {
    static final int TAG = 0x49534353;
    static final int REG_PRESENT = 0x00;
    static final int REG_INT_STATUS = 0x04;
    static final int REG_INT_ENABLE = 0x08;
    static final int REG_TARGET_BASE = 0x40;
    static final int TARGET_STRIDE = 0x20;
    static final int TGT_LBA = 0x00;
    static final int TGT_COUNT = 0x04;
    static final int TGT_COMMAND = 0x08;
    static final int TGT_STATUS = 0x0C;
    static final int TGT_CAPACITY = 0x10;
    static final int WINDOW_BASE = 0x1000;
    static final int WINDOW_SIZE = 0x2000;
    static final int CMD_READ = 1;
    static final int CMD_WRITE = 2;
    static final int CMD_ABORT = 3;
    static final int SRB_STATUS_SUCCESS = 1;
    static final int SRB_STATUS_BUSY = 5;
    static final int SRB_STATUS_ERROR = 4;
    static final int SECTOR_SIZE = 512;
    static final int REQUEST_TIMEOUT_SECONDS = 10;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        DriverObject.DriverUnload = this::Unload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::DispatchReadWrite;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = this::DispatchReadWrite;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::DispatchPnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject PhysicalDeviceObject) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, AdapterExtension.class, null, FILE_DEVICE_UNKNOWN, 0, false,
                created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        AdapterExtension adapter = (AdapterExtension) fdo.DeviceExtension;
        adapter.IsAdapter = true;
        adapter.Self = fdo;
        adapter.Pdo = PhysicalDeviceObject;
        IoInitializeRemoveLock(adapter.RemoveLock, TAG, 0, 0);
        KeInitializeSpinLock(adapter.SpinLock);
        KeInitializeDpc(adapter.CompletionDpc, this::CompletionDpc, adapter);
        adapter.LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (adapter.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_UNSUCCESSFUL;
        }
        IoInitializeTimer(fdo, this::IoTimer, adapter);
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int CreateClose(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    // ---- requests ----

    @Role(DriverDispatch.class)
    int DispatchReadWrite(DeviceObject DeviceObject, Irp Irp) {
        PortCommon common = (PortCommon) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int length = stack.Parameters.Read.Length;
        long offset = stack.Parameters.Read.ByteOffset;
        if (common.IsAdapter) {
            Irp.IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_INVALID_DEVICE_REQUEST;
        }
        LunExtension lun = (LunExtension) common;
        AdapterExtension adapter = lun.Adapter;
        if (length == 0 || length > WINDOW_SIZE || length % SECTOR_SIZE != 0 || offset % SECTOR_SIZE != 0
                || offset / SECTOR_SIZE + length / SECTOR_SIZE > lun.Sectors) {
            Irp.IoStatus.Status = STATUS_INVALID_PARAMETER;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_INVALID_PARAMETER;
        }
        int status = IoAcquireRemoveLock(adapter.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoMarkIrpPending(Irp);
        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(adapter.SpinLock, irql);
        if (lun.ActiveIrp == null && lun.BusyIrp == null) {
            StartLunRequest(lun, Irp);
        } else {
            lun.PendingQueue.addLast(Irp);
        }
        KeReleaseSpinLock(adapter.SpinLock, irql.value);
        return STATUS_PENDING;
    }

    /** Makes the IRP the unit's active request and hands it to the target. Call holding the adapter lock. */
    private void StartLunRequest(LunExtension lun, Irp irp) {
        AdapterExtension adapter = lun.Adapter;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(irp);
        lun.ActiveIrp = irp;
        lun.RequestTag++;
        lun.RequestTimeout = REQUEST_TIMEOUT_SECONDS;
        if (stack.MajorFunction == IRP_MJ_WRITE) {
            // the target's data window belongs to this unit alone while the request is active
            byte[] data = MmGetSystemAddressForMdlSafe(irp.MdlAddress, NormalPagePriority);
            long window = adapter.Registers + WINDOW_BASE + (long) lun.TargetId * WINDOW_SIZE;
            for (int i = 0; i < stack.Parameters.Write.Length; i += 4) {
                WRITE_REGISTER_ULONG(window + i, (data[i] & 0xff) | (data[i + 1] & 0xff) << 8
                        | (data[i + 2] & 0xff) << 16 | (data[i + 3] & 0xff) << 24);
            }
        }
        KeSynchronizeExecution(adapter.Interrupt, this::ProgramTarget, lun);
    }

    /** Writes the target's task registers. Runs at DIRQL holding the interrupt spin lock. */
    @Role(KSynchronizeRoutine.class)
    boolean ProgramTarget(Object SynchronizeContext) {
        LunExtension lun = (LunExtension) SynchronizeContext;
        AdapterExtension adapter = lun.Adapter;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(lun.ActiveIrp);
        long target = adapter.Registers + REG_TARGET_BASE + (long) lun.TargetId * TARGET_STRIDE;
        adapter.TargetTag[lun.TargetId] = lun.RequestTag;
        WRITE_REGISTER_ULONG(target + TGT_LBA, (int) (stack.Parameters.Read.ByteOffset / SECTOR_SIZE));
        WRITE_REGISTER_ULONG(target + TGT_COUNT, stack.Parameters.Read.Length / SECTOR_SIZE);
        WRITE_REGISTER_ULONG(target + TGT_COMMAND, stack.MajorFunction == IRP_MJ_WRITE ? CMD_WRITE : CMD_READ);
        return true;
    }

    @Role(KServiceRoutine.class)
    boolean Isr(KInterrupt Interrupt, Object ServiceContext) {
        AdapterExtension adapter = (AdapterExtension) ServiceContext;
        int pending = READ_REGISTER_ULONG(adapter.Registers + REG_INT_STATUS);
        if (pending == 0) {
            return false;
        }
        for (int t = 0; t < AdapterExtension.MAX_TARGETS; t++) {
            if ((pending & (1 << t)) != 0) {
                adapter.CompletedStatus[t] = READ_REGISTER_ULONG(
                        adapter.Registers + REG_TARGET_BASE + (long) t * TARGET_STRIDE + TGT_STATUS);
                adapter.CompletedTag[t] = adapter.TargetTag[t];
            }
        }
        adapter.CompletedMask |= pending;
        WRITE_REGISTER_ULONG(adapter.Registers + REG_INT_STATUS, pending);
        KeInsertQueueDpc(adapter.CompletionDpc, null, null);
        return true;
    }

    /** What the DPC took out of the interrupt data. */
    static final class InterruptSnapshot {
        AdapterExtension Adapter;
        int Mask;
        final int[] Status = new int[AdapterExtension.MAX_TARGETS];
        final int[] Tag = new int[AdapterExtension.MAX_TARGETS];
    }

    @Role(KSynchronizeRoutine.class)
    boolean SaveInterruptData(Object SynchronizeContext) {
        InterruptSnapshot snapshot = (InterruptSnapshot) SynchronizeContext;
        AdapterExtension adapter = snapshot.Adapter;
        snapshot.Mask = adapter.CompletedMask;
        for (int t = 0; t < AdapterExtension.MAX_TARGETS; t++) {
            snapshot.Status[t] = adapter.CompletedStatus[t];
            snapshot.Tag[t] = adapter.CompletedTag[t];
        }
        adapter.CompletedMask = 0;
        return snapshot.Mask != 0;
    }

    /** Finishes the requests of every unit the ISR reported; one DPC serves all the units' device objects. */
    @Role(KDeferredRoutine.class)
    void CompletionDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        AdapterExtension adapter = (AdapterExtension) DeferredContext;
        InterruptSnapshot snapshot = new InterruptSnapshot();
        snapshot.Adapter = adapter;
        if (!KeSynchronizeExecution(adapter.Interrupt, this::SaveInterruptData, snapshot)) {
            return;
        }
        for (int t = 0; t < AdapterExtension.MAX_TARGETS; t++) {
            if ((snapshot.Mask & (1 << t)) == 0 || adapter.Luns[t] == null) {
                continue;
            }
            LunExtension lun = adapter.Luns[t];
            KeAcquireSpinLockAtDpcLevel(adapter.SpinLock);
            Irp irp = lun.ActiveIrp;
            if (irp == null || snapshot.Tag[t] != lun.RequestTag) {
                // the watchdog already gave this request up
                KeReleaseSpinLockFromDpcLevel(adapter.SpinLock);
                continue;
            }
            lun.ActiveIrp = null;
            lun.RequestTimeout = -1;
            if (snapshot.Status[t] == SRB_STATUS_BUSY) {
                // the target cannot take it now: the timer sends it again
                lun.BusyIrp = irp;
                KeReleaseSpinLockFromDpcLevel(adapter.SpinLock);
                continue;
            }
            // keep the target busy: start its next request first
            Irp next = lun.PendingQueue.pollFirst(); // expect: StartNextPacketTooEarly
            if (next != null) {
                StartLunRequest(lun, next);
            }
            int status = snapshot.Status[t] == SRB_STATUS_SUCCESS ? STATUS_SUCCESS : STATUS_DEVICE_DATA_ERROR;
            int length = IoGetCurrentIrpStackLocation(irp).Parameters.Read.Length;
            if (status == STATUS_SUCCESS && IoGetCurrentIrpStackLocation(irp).MajorFunction == IRP_MJ_READ) {
                CopyFromWindow(lun, irp, length);
            }
            KeReleaseSpinLockFromDpcLevel(adapter.SpinLock);

            irp.IoStatus.Status = status;
            irp.IoStatus.Information = status == STATUS_SUCCESS ? length : 0;
            IoCompleteRequest(irp, IO_DISK_INCREMENT);
            IoReleaseRemoveLock(adapter.RemoveLock, irp);
        }
    }

    /** Moves read data out of the target's window into the caller's buffer, then makes it visible. */
    private void CopyFromWindow(LunExtension lun, Irp irp, int length) {
        byte[] data = MmGetSystemAddressForMdlSafe(irp.MdlAddress, NormalPagePriority);
        long window = lun.Adapter.Registers + WINDOW_BASE + (long) lun.TargetId * WINDOW_SIZE;
        for (int i = 0; i < length; i += 4) {
            int word = READ_REGISTER_ULONG(window + i);
            data[i] = (byte) word;
            data[i + 1] = (byte) (word >> 8);
            data[i + 2] = (byte) (word >> 16);
            data[i + 3] = (byte) (word >> 24);
        }
        KeFlushIoBuffers(irp.MdlAddress, true, false);
    }

    // ---- the watchdog ----

    /** Aborts the target's command; a completion it already posted is thrown away. Runs at DIRQL. */
    @Role(KSynchronizeRoutine.class)
    boolean AbortTarget(Object SynchronizeContext) {
        LunExtension lun = (LunExtension) SynchronizeContext;
        AdapterExtension adapter = lun.Adapter;
        WRITE_REGISTER_ULONG(adapter.Registers + REG_TARGET_BASE + (long) lun.TargetId * TARGET_STRIDE + TGT_COMMAND,
                CMD_ABORT);
        adapter.CompletedMask &= ~(1 << lun.TargetId);
        return true;
    }

    @Role(IoTimerRoutine.class)
    void IoTimer(DeviceObject DeviceObject, Object Context) {
        AdapterExtension adapter = (AdapterExtension) Context;
        List<Irp> timedOut = new ArrayList<>();
        KeAcquireSpinLockAtDpcLevel(adapter.SpinLock);
        for (LunExtension lun : adapter.Luns) {
            if (lun == null) {
                continue;
            }
            if (lun.BusyIrp != null) {
                if (lun.ActiveIrp == null) {
                    Irp retry = lun.BusyIrp;
                    lun.BusyIrp = null;
                    StartLunRequest(lun, retry);
                }
            } else if (lun.ActiveIrp != null && lun.RequestTimeout == 0) {
                lun.RequestTimeout = -1;
                KeSynchronizeExecution(adapter.Interrupt, this::AbortTarget, lun);
                timedOut.add(lun.ActiveIrp);
                lun.ActiveIrp = null;
                Irp next = lun.PendingQueue.pollFirst();
                if (next != null) {
                    StartLunRequest(lun, next);
                }
            } else if (lun.RequestTimeout > 0) {
                lun.RequestTimeout--;
            }
        }
        KeReleaseSpinLockFromDpcLevel(adapter.SpinLock);
        for (Irp irp : timedOut) {
            irp.IoStatus.Status = STATUS_IO_TIMEOUT;
            irp.IoStatus.Information = 0;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(adapter.RemoveLock, irp);
        }
    }

    // ---- PnP ----

    private int StartAdapter(AdapterExtension adapter, CmResourceList resources) {
        int vector = -1;
        int level = 0;
        long affinity = 0;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypeMemory) {
                adapter.Registers = MmMapIoSpace(d.u.Memory.Start, d.u.Memory.Length, MmNonCached);
                adapter.RegisterLength = d.u.Memory.Length;
            } else if (d.Type == CmResourceTypeInterrupt) {
                vector = d.u.Interrupt.Vector;
                level = d.u.Interrupt.Level;
                affinity = d.u.Interrupt.Affinity;
            }
        }
        if (adapter.Registers == 0 || vector < 0) {
            return STATUS_DEVICE_NOT_READY;
        }
        int present = READ_REGISTER_ULONG(adapter.Registers + REG_PRESENT);
        for (int t = 0; t < AdapterExtension.MAX_TARGETS; t++) {
            if ((present & (1 << t)) != 0) {
                int status = CreateLun(adapter, t);
                if (!NT_SUCCESS(status)) {
                    return status;
                }
            }
        }
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::Isr, adapter, null, vector, level, level, LevelSensitive,
                true, affinity, false);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        adapter.Interrupt = interrupt.value;
        WRITE_REGISTER_ULONG(adapter.Registers + REG_INT_ENABLE, 0xff);
        IoStartTimer(adapter.Self);
        return STATUS_SUCCESS;
    }

    private int CreateLun(AdapterExtension adapter, int targetId) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(adapter.Self.DriverObject, LunExtension.class,
                new UnicodeString("\\Device\\ScsiPort0Target" + targetId), FILE_DEVICE_DISK, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject device = created.value;
        LunExtension lun = (LunExtension) device.DeviceExtension;
        lun.IsAdapter = false;
        lun.Self = device;
        lun.Adapter = adapter;
        lun.TargetId = targetId;
        lun.RequestTimeout = -1;
        lun.Sectors = READ_REGISTER_ULONG(
                adapter.Registers + REG_TARGET_BASE + (long) targetId * TARGET_STRIDE + TGT_CAPACITY) & 0xffffffffL;
        device.Flags |= DO_DIRECT_IO;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        adapter.Luns[targetId] = lun;
        return STATUS_SUCCESS;
    }

    private void StopAdapter(AdapterExtension adapter) {
        IoStopTimer(adapter.Self);
        if (adapter.Interrupt != null) {
            WRITE_REGISTER_ULONG(adapter.Registers + REG_INT_ENABLE, 0);
            IoDisconnectInterrupt(adapter.Interrupt);
            adapter.Interrupt = null;
        }
        for (int t = 0; t < AdapterExtension.MAX_TARGETS; t++) {
            if (adapter.Luns[t] != null) {
                IoDeleteDevice(adapter.Luns[t].Self);
                adapter.Luns[t] = null;
            }
        }
        if (adapter.Registers != 0) {
            MmUnmapIoSpace(adapter.Registers, adapter.RegisterLength);
            adapter.Registers = 0;
        }
    }

    @Role(IoCompletionRoutine.class)
    int StartCompletion(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        PortCommon common = (PortCommon) DeviceObject.DeviceExtension;
        if (!common.IsAdapter) {
            int status = Irp.IoStatus.Status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        AdapterExtension adapter = (AdapterExtension) common;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE: {
                KEvent event = new KEvent();
                KeInitializeEvent(event, NotificationEvent, false);
                IoCopyCurrentIrpStackLocationToNext(Irp);
                IoSetCompletionRoutine(Irp, this::StartCompletion, event, true, true, true);
                status = IoCallDriver(adapter.LowerDevice, Irp);
                if (status == STATUS_PENDING) {
                    KeWaitForSingleObject(event, Executive, KernelMode, false, null);
                    status = Irp.IoStatus.Status;
                }
                if (NT_SUCCESS(status)) {
                    status = StartAdapter(adapter, stack.Parameters.StartDevice.AllocatedResourcesTranslated);
                    if (!NT_SUCCESS(status)) {
                        StopAdapter(adapter);
                    }
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
            case IRP_MN_REMOVE_DEVICE:
                IoAcquireRemoveLock(adapter.RemoveLock, Irp);
                IoReleaseRemoveLockAndWait(adapter.RemoveLock, Irp);
                StopAdapter(adapter);
                IoSkipCurrentIrpStackLocation(Irp);
                status = IoCallDriver(adapter.LowerDevice, Irp);
                IoDetachDevice(adapter.LowerDevice);
                IoDeleteDevice(DeviceObject);
                return status;
            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(adapter.LowerDevice, Irp);
        }
    }
}
