package sample.seeded.managedliststartnexttooearly;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * Seeded defect: the driver keeps its own queue of IRPs, linked through their
 * Tail.Overlay.ListEntry, instead of StartIo. When its DPC finds a request waiting, it takes it off
 * the queue and starts it before it reads the byte count of the request it is completing: the
 * count it reads is the new request's, zero, and a successful read or write is completed short.
 * Otherwise a bus-master DMA disk driver written the way the WDK's DPC pages say: an ISR that
 * captures status and queues the DpcForIsr, a DpcForIsr that flushes, retries and sets up the
 * next partial transfer through a SynchCritSection, an IoTimer that recovers lost interrupts.
 */
@HardwareId("SIM\\DMADISK")
public final class DmaDiskDriver {
    static final int REG_COMMAND = 0x00;
    static final int REG_LBA = 0x04;
    static final int REG_SECTOR_COUNT = 0x08;
    static final int REG_DMA_ADDRESS_LOW = 0x0C;
    static final int REG_DMA_ADDRESS_HIGH = 0x10;
    static final int REG_STATUS = 0x14;
    static final int REG_INTERRUPT_ENABLE = 0x18;
    static final int REG_INTERRUPT_STATUS = 0x1C;
    static final int REG_TRANSFERRED = 0x20;
    static final int CMD_READ = 1;
    static final int CMD_WRITE = 2;
    static final int CMD_RESET = 3;
    static final int STATUS_DONE = 2;
    static final int STATUS_ERROR = 4;
    static final int SECTOR_SIZE = 512;
    static final int MAX_TRANSFER = 16 * SECTOR_SIZE;
    static final int MAX_RETRIES = 4;
    static final int TAG = 0x6b736944;
    static final int IOCTL_SIMDISK_GET_LENGTH = CTL_CODE(FILE_DEVICE_DISK, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS);
    static final long CAPACITY_BYTES = 4096L * SECTOR_SIZE;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        DriverObject.DriverUnload = this::Unload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::DispatchCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::DispatchCreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::DispatchReadWrite;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = this::DispatchReadWrite;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = this::DispatchDeviceControl;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::DispatchPnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject PhysicalDeviceObject) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, DiskExtension.class, null, FILE_DEVICE_DISK, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        DiskExtension ext = (DiskExtension) fdo.DeviceExtension;
        ext.Self = fdo;
        ext.Pdo = PhysicalDeviceObject;
        IoInitializeRemoveLock(ext.RemoveLock, TAG, 0, 0);
        KeInitializeSpinLock(ext.QueueLock);
        InitializeListHead(ext.Waiting);
        ext.LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (ext.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_UNSUCCESSFUL;
        }
        IoInitializeDpcRequest(fdo, this::DpcForIsr);
        IoInitializeTimer(fdo, this::IoTimer, ext);
        fdo.Flags |= DO_DIRECT_IO;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int DispatchCreateClose(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int DispatchReadWrite(DeviceObject DeviceObject, Irp Irp) {
        DiskExtension ext = (DiskExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        IoStackLocation.ReadWrite rw = stack.MajorFunction == IRP_MJ_READ ? stack.Parameters.Read
                : stack.Parameters.Write;
        if (rw.Length == 0 || rw.Length % SECTOR_SIZE != 0 || rw.ByteOffset % SECTOR_SIZE != 0
                || rw.ByteOffset + rw.Length > CAPACITY_BYTES) {
            Irp.IoStatus.Status = STATUS_INVALID_PARAMETER;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_INVALID_PARAMETER;
        }
        int status = IoAcquireRemoveLock(ext.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoMarkIrpPending(Irp);
        Out<Integer> old = new Out<>();
        KeAcquireSpinLock(ext.QueueLock, old);
        boolean start = !ext.Busy;
        if (start) {
            ext.Busy = true;
        } else {
            InsertTailList(ext.Waiting, Irp.Tail.Overlay.ListEntry);
        }
        KeReleaseSpinLock(ext.QueueLock, old.value);
        if (start) {
            KeRaiseIrql(DISPATCH_LEVEL, old);
            StartOperation(DeviceObject, Irp);
            KeLowerIrql(old.value);
        }
        return STATUS_PENDING;
    }

    @Role(DriverDispatch.class)
    int DispatchDeviceControl(DeviceObject DeviceObject, Irp Irp) {
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        long information = 0;
        if (stack.Parameters.DeviceIoControl.IoControlCode != IOCTL_SIMDISK_GET_LENGTH) {
            status = STATUS_INVALID_DEVICE_REQUEST;
        } else if (stack.Parameters.DeviceIoControl.OutputBufferLength < 8) {
            status = STATUS_BUFFER_TOO_SMALL;
        } else {
            byte[] out = Irp.AssociatedIrp.SystemBuffer;
            for (int i = 0; i < 8; i++) {
                out[i] = (byte) (CAPACITY_BYTES >>> (8 * i));
            }
            information = 8;
            status = STATUS_SUCCESS;
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        DiskExtension ext = (DiskExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE: {
                int status = ForwardAndWait(ext, Irp);
                if (NT_SUCCESS(status)) {
                    status = StartDevice(ext, IoGetCurrentIrpStackLocation(Irp).Parameters.StartDevice
                            .AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
            case IRP_MN_REMOVE_DEVICE: {
                IoAcquireRemoveLock(ext.RemoveLock, Irp);
                IoReleaseRemoveLockAndWait(ext.RemoveLock, Irp);
                StopDevice(ext);
                IoSkipCurrentIrpStackLocation(Irp);
                int status = IoCallDriver(ext.LowerDevice, Irp);
                IoDetachDevice(ext.LowerDevice);
                IoDeleteDevice(DeviceObject);
                return status;
            }
            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(ext.LowerDevice, Irp);
        }
    }

    private int ForwardAndWait(DiskExtension ext, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::StartCompletion, event, true, true, true);
        int status = IoCallDriver(ext.LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(event, Executive, KernelMode, false, null);
            status = Irp.IoStatus.Status;
        }
        return status;
    }

    @Role(IoCompletionRoutine.class)
    int StartCompletion(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    private int StartDevice(DiskExtension ext, CmResourceList resources) {
        int vector = -1;
        int level = 0;
        long affinity = 0;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypeMemory) {
                ext.Registers = MmMapIoSpace(d.u.Memory.Start, d.u.Memory.Length, MmNonCached);
                ext.RegisterLength = d.u.Memory.Length;
            } else if (d.Type == CmResourceTypeInterrupt) {
                vector = d.u.Interrupt.Vector;
                level = d.u.Interrupt.Level;
                affinity = d.u.Interrupt.Affinity;
            }
        }
        if (ext.Registers == 0 || vector < 0) {
            return STATUS_DEVICE_NOT_READY;
        }
        DeviceDescription description = new DeviceDescription();
        description.Version = DEVICE_DESCRIPTION_VERSION;
        description.Master = true;
        description.Dma32BitAddresses = true;
        description.InterfaceType = PCIBus;
        description.MaximumLength = MAX_TRANSFER;
        Out<Integer> mapRegisters = new Out<>();
        ext.Adapter = IoGetDmaAdapter(ext.Pdo, description, mapRegisters);
        if (ext.Adapter == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        ext.MapRegisterCount = mapRegisters.value;
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptService, ext.Self, null, vector, level, level,
                LevelSensitive, false, affinity, false);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        ext.Interrupt = interrupt.value;
        WRITE_REGISTER_ULONG(ext.Registers + REG_INTERRUPT_ENABLE, 1);
        IoStartTimer(ext.Self);
        return STATUS_SUCCESS;
    }

    private void StopDevice(DiskExtension ext) {
        IoStopTimer(ext.Self);
        if (ext.Interrupt != null) {
            WRITE_REGISTER_ULONG(ext.Registers + REG_INTERRUPT_ENABLE, 0);
            IoDisconnectInterrupt(ext.Interrupt);
            ext.Interrupt = null;
        }
        if (ext.Adapter != null) {
            ext.Adapter.DmaOperations.PutDmaAdapter(ext.Adapter);
            ext.Adapter = null;
        }
        if (ext.Registers != 0) {
            MmUnmapIoSpace(ext.Registers, ext.RegisterLength);
            ext.Registers = 0;
        }
    }

    /** Starts a request on the device, which is the caller's: at DISPATCH_LEVEL. */
    private void StartOperation(DeviceObject DeviceObject, Irp Irp) {
        DiskExtension ext = (DiskExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        boolean write = stack.MajorFunction == IRP_MJ_WRITE;
        IoStackLocation.ReadWrite rw = write ? stack.Parameters.Write : stack.Parameters.Read;
        ext.OperationIrp = Irp;
        ext.WriteToDevice = write;
        ext.TransferMdl = Irp.MdlAddress;
        ext.TransferVa = MmGetMdlVirtualAddress(Irp.MdlAddress);
        ext.TotalLength = rw.Length;
        ext.BytesDone = 0;
        ext.StartSector = rw.ByteOffset / SECTOR_SIZE;
        ext.RetryCount = 0;
        ext.Adapter.DmaOperations.AllocateAdapterChannel(ext.Adapter, DeviceObject, ext.MapRegisterCount,
                this::AdapterControl, ext);
    }

    @Role(DriverControl.class)
    int AdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        DiskExtension ext = (DiskExtension) Context;
        ext.MapRegisterBase = MapRegisterBase;
        StartTransfer(ext);
        return KeepObject;
    }

    /** Maps the next piece of the buffer and programs the device for it. Runs at DISPATCH_LEVEL. */
    private void StartTransfer(DiskExtension ext) {
        Out<Integer> length = new Out<>(Math.min(ext.TotalLength - ext.BytesDone, MAX_TRANSFER));
        long logical = ext.Adapter.DmaOperations.MapTransfer(ext.Adapter, ext.TransferMdl, ext.MapRegisterBase,
                ext.TransferVa + ext.BytesDone, length, ext.WriteToDevice);
        TransferRequest request = new TransferRequest();
        request.Extension = ext;
        request.LogicalAddress = logical;
        request.Sectors = length.value / SECTOR_SIZE;
        ext.TransferLength = request.Sectors * SECTOR_SIZE;
        KeSynchronizeExecution(ext.Interrupt, this::ProgramDevice, request);
    }

    @Role(KSynchronizeRoutine.class)
    boolean ProgramDevice(Object SynchronizeContext) {
        TransferRequest request = (TransferRequest) SynchronizeContext;
        DiskExtension ext = request.Extension;
        long regs = ext.Registers;
        WRITE_REGISTER_ULONG(regs + REG_LBA, (int) (ext.StartSector + ext.BytesDone / SECTOR_SIZE));
        WRITE_REGISTER_ULONG(regs + REG_SECTOR_COUNT, request.Sectors);
        WRITE_REGISTER_ULONG(regs + REG_DMA_ADDRESS_LOW, (int) request.LogicalAddress);
        WRITE_REGISTER_ULONG(regs + REG_DMA_ADDRESS_HIGH, (int) (request.LogicalAddress >>> 32));
        ext.OperationPending = true;
        ext.TimeoutTicks = 0;
        WRITE_REGISTER_ULONG(regs + REG_COMMAND, ext.WriteToDevice ? CMD_WRITE : CMD_READ);
        return true;
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        DiskExtension ext = (DiskExtension) fdo.DeviceExtension;
        if ((READ_REGISTER_ULONG(ext.Registers + REG_INTERRUPT_STATUS) & 1) == 0) {
            return false;
        }
        CaptureCompletion(ext);
        IoRequestDpc(fdo, fdo.CurrentIrp, null);
        return true;
    }

    /** Records the finished operation and acknowledges it. Runs at DIRQL holding the interrupt spin lock. */
    private void CaptureCompletion(DiskExtension ext) {
        ext.CapturedStatus = READ_REGISTER_ULONG(ext.Registers + REG_STATUS);
        ext.CapturedTransferred = READ_REGISTER_ULONG(ext.Registers + REG_TRANSFERRED);
        ext.OperationPending = false;
        WRITE_REGISTER_ULONG(ext.Registers + REG_INTERRUPT_STATUS, 1);
    }

    @Role(IoTimerRoutine.class)
    void IoTimer(DeviceObject DeviceObject, Object Context) {
        DiskExtension ext = (DiskExtension) Context;
        if (ext.Interrupt != null) {
            KeSynchronizeExecution(ext.Interrupt, this::CheckTimeout, DeviceObject);
        }
    }

    @Role(KSynchronizeRoutine.class)
    boolean CheckTimeout(Object SynchronizeContext) {
        DeviceObject fdo = (DeviceObject) SynchronizeContext;
        DiskExtension ext = (DiskExtension) fdo.DeviceExtension;
        if (!ext.OperationPending || ++ext.TimeoutTicks < 2) {
            return false;
        }
        if ((READ_REGISTER_ULONG(ext.Registers + REG_STATUS) & STATUS_DONE) != 0) {
            CaptureCompletion(ext);
        } else {
            WRITE_REGISTER_ULONG(ext.Registers + REG_COMMAND, CMD_RESET);
            ext.CapturedStatus = STATUS_DONE | STATUS_ERROR;
            ext.CapturedTransferred = 0;
            ext.OperationPending = false;
        }
        IoRequestDpc(fdo, fdo.CurrentIrp, null);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean ReadCapture(Object SynchronizeContext) {
        CompletionSnapshot snapshot = (CompletionSnapshot) SynchronizeContext;
        snapshot.Status = snapshot.Extension.CapturedStatus;
        snapshot.Transferred = snapshot.Extension.CapturedTransferred;
        snapshot.Extension.CapturedStatus = 0;
        return true;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        DiskExtension ext = (DiskExtension) DeviceObject.DeviceExtension;
        Irp irp = ext.OperationIrp;
        if (irp == null) {
            return;
        }
        CompletionSnapshot snapshot = new CompletionSnapshot();
        snapshot.Extension = ext;
        KeSynchronizeExecution(ext.Interrupt, this::ReadCapture, snapshot);
        if ((snapshot.Status & STATUS_DONE) == 0) {
            return;
        }
        ext.Adapter.DmaOperations.FlushAdapterBuffers(ext.Adapter, ext.TransferMdl, ext.MapRegisterBase,
                ext.TransferVa + ext.BytesDone, ext.TransferLength, ext.WriteToDevice);
        int status = STATUS_SUCCESS;
        if ((snapshot.Status & STATUS_ERROR) != 0) {
            if (++ext.RetryCount <= MAX_RETRIES) {
                StartTransfer(ext);
                return;
            }
            status = STATUS_DEVICE_DATA_ERROR;
            LogError(DeviceObject, ext);
        } else {
            ext.BytesDone += snapshot.Transferred * SECTOR_SIZE;
            ext.RetryCount = 0;
            if (ext.BytesDone < ext.TotalLength) {
                StartTransfer(ext);
                return;
            }
        }
        ext.Adapter.DmaOperations.FreeAdapterChannel(ext.Adapter);
        irp.IoStatus.Status = status;
        ext.OperationIrp = null;
        KeAcquireSpinLockAtDpcLevel(ext.QueueLock);
        if (IsListEmpty(ext.Waiting)) {
            irp.IoStatus.Information = status == STATUS_SUCCESS ? ext.BytesDone : 0;
            ext.Busy = false;
            KeReleaseSpinLockFromDpcLevel(ext.QueueLock);
        } else {
            Irp next = CONTAINING_RECORD(RemoveHeadList(ext.Waiting), Irp.class); // expect: StartNextPacketTooEarly (confirmed)
            KeReleaseSpinLockFromDpcLevel(ext.QueueLock);
            StartOperation(DeviceObject, next);
            // a random walk also shows a DataRace on this read, with the DpcForIsr of the request just started
            // writing the count on the other processor; PCT does not reach it within 1000 schedules
            irp.IoStatus.Information = status == STATUS_SUCCESS ? ext.BytesDone : 0;
        }
        IoCompleteRequest(irp, IO_DISK_INCREMENT); // expect: PartialTransferShort (confirmed)
        IoReleaseRemoveLock(ext.RemoveLock, irp);
    }

    private void LogError(DeviceObject DeviceObject, DiskExtension ext) {
        IoErrorLogPacket entry = IoAllocateErrorLogEntry(DeviceObject, 64);
        if (entry == null) {
            return;
        }
        entry.ErrorCode = IO_ERR_DRIVER_ERROR;
        entry.FinalStatus = STATUS_DEVICE_DATA_ERROR;
        entry.RetryCount = ext.RetryCount;
        entry.DeviceOffset = (ext.StartSector * SECTOR_SIZE) + ext.BytesDone;
        IoWriteErrorLogEntry(entry);
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }

    /** What a DPC reads of the ISR's capture, copied out inside the SynchCritSection. */
    static final class CompletionSnapshot {
        DiskExtension Extension;
        int Status;
        int Transferred;
    }

    /** What ProgramDevice needs, handed into the SynchCritSection. */
    static final class TransferRequest {
        DiskExtension Extension;
        long LogicalAddress;
        int Sectors;
    }
}
