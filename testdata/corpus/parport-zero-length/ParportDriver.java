package corpus.parportzerolength;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * Parallel port function driver. The FDO takes the port resources at START_DEVICE and enumerates one
 * raw child (LPTx); the child's writes are sent to the printer in the dispatch routine, one byte at a
 * time: wait for the printer to drop BUSY, latch the byte, pulse STROBE. One dispatch table serves
 * both device objects and routes by the IsFdo flag of the common extension.
 * Re-expressed from: reactos/reactos/drivers/parallel/parport (parport.c, fdo.c, pdo.c, hardware.h) (structure and facts, not code).
 */
@HardwareId("SIM\\PARPORT")
public final class ParportDriver {
    // register offsets from the base port (SPP mode)
    static final int DATA = 0;
    static final int STATUS = 1;
    static final int CONTROL = 2;
    // status register: BUSY is inverted on the wire, so 1 means ready
    static final int LP_PBUSY = 0x80;
    static final int LP_PACK = 0x40;
    static final int LP_POUTPA = 0x20;
    static final int LP_PSELECD = 0x10;
    static final int LP_PERRORP = 0x08;
    // control register
    static final int LP_PSTROBE = 0x01;
    static final int LP_PAUTOLF = 0x02;
    static final int LP_PINITP = 0x04;
    static final int LP_PSELECP = 0x08;
    static final int BUSY_POLLS = 500000;
    static final int PARPORT_TAG = 0x50726150;
    static final int IRP_MN_QUERY_DEVICE_RELATIONS = 0x07;

    /** How many ports this driver has created; the next FDO becomes ParallelPort<n>. */
    private int ParallelCount;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        DriverObject.DriverUnload = this::Unload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::DispatchCreate;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::DispatchClose;
        DriverObject.MajorFunction[IRP_MJ_CLEANUP] = this::DispatchCleanup;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::DispatchReadWrite;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = this::DispatchReadWrite;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::DispatchPnp;
        DriverObject.MajorFunction[IRP_MJ_POWER] = this::DispatchPower;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        if (Pdo == null) {
            // legacy detection pass: nothing to attach to
            return STATUS_SUCCESS;
        }
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, FdoExtension.class, null, FILE_DEVICE_UNKNOWN,
                FILE_DEVICE_SECURE_OPEN, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        FdoExtension ext = (FdoExtension) fdo.DeviceExtension;
        ext.IsFdo = true;
        ext.PnpState = CommonExtension.STOPPED;
        ext.Self = fdo;
        ext.Pdo = Pdo;
        ext.PortNumber = ParallelCount++;
        IoInitializeRemoveLock(ext.RemoveLock, PARPORT_TAG, 0, 0);
        ext.LowerDevice = IoAttachDeviceToDeviceStack(fdo, Pdo);
        if (ext.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_DEVICE_NOT_READY;
        }
        if ((ext.LowerDevice.Flags & DO_DIRECT_IO) != 0) {
            fdo.Flags |= DO_DIRECT_IO;
        }
        if ((fdo.Flags & (DO_BUFFERED_IO | DO_DIRECT_IO)) == 0) {
            fdo.Flags |= DO_BUFFERED_IO;
        }
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    // ------------------------------------------------------------------ create / close

    @Role(DriverDispatch.class)
    int DispatchCreate(DeviceObject DeviceObject, Irp Irp) {
        CommonExtension common = (CommonExtension) DeviceObject.DeviceExtension;
        int status = STATUS_SUCCESS;
        if (common.PnpState != CommonExtension.STARTED) {
            status = STATUS_DEVICE_NOT_READY;
        } else if (common.IsFdo) {
            ((FdoExtension) common).OpenCount++;
        } else {
            ((PdoExtension) common).OpenCount++;
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    @Role(DriverDispatch.class)
    int DispatchClose(DeviceObject DeviceObject, Irp Irp) {
        CommonExtension common = (CommonExtension) DeviceObject.DeviceExtension;
        if (common.IsFdo) {
            ((FdoExtension) common).OpenCount--;
        } else {
            ((PdoExtension) common).OpenCount--;
        }
        Irp.IoStatus.Information = 0;
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int DispatchCleanup(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Information = 0;
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    // ------------------------------------------------------------------ read / write

    @Role(DriverDispatch.class)
    int DispatchReadWrite(DeviceObject DeviceObject, Irp Irp) {
        CommonExtension common = (CommonExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        if (common.IsFdo || stack.MajorFunction == IRP_MJ_READ) {
            // the port itself is not readable or writable; a read of LPTx returns nothing
            int status = common.IsFdo ? STATUS_NOT_SUPPORTED : STATUS_SUCCESS;
            Irp.IoStatus.Information = 0;
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        return PdoWrite(DeviceObject, Irp); // expect: CompleteWithPendingStatus, MarkIrpPending
    }

    private int PdoWrite(DeviceObject DeviceObject, Irp Irp) {
        PdoExtension pdoExt = (PdoExtension) DeviceObject.DeviceExtension;
        FdoExtension fdoExt = (FdoExtension) pdoExt.AttachedFdo.DeviceExtension;
        int status = IoAcquireRemoveLock(fdoExt.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Information = 0;
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        byte[] buffer = GetUserBuffer(Irp);
        int length = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
        int written = 0;
        // pending until the printer has taken every byte (NT_SUCCESS holds for STATUS_PENDING)
        status = buffer == null ? STATUS_INSUFFICIENT_RESOURCES : STATUS_PENDING;
        while (NT_SUCCESS(status) && written < length) {
            status = WriteByte(fdoExt.BaseAddress, buffer[written]);
            if (NT_SUCCESS(status)) {
                written++;
            }
        }
        Irp.IoStatus.Information = written;
        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        IoReleaseRemoveLock(fdoExt.RemoveLock, Irp);
        return status;
    }

    /** The buffer of a write, wherever the I/O manager put it. */
    private byte[] GetUserBuffer(Irp Irp) {
        if (Irp.MdlAddress != null) {
            return MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority);
        }
        return Irp.AssociatedIrp.SystemBuffer;
    }

    /** Waits for the printer to be ready, then latches one byte with a STROBE pulse. */
    private int WriteByte(long base, byte value) {
        int polls = 0;
        int portStatus;
        do {
            KeStallExecutionProcessor(10);
            portStatus = READ_PORT_UCHAR(base + STATUS) & 0xff;
            polls++;
        } while (polls < BUSY_POLLS && (portStatus & LP_PBUSY) == 0);
        if (polls == BUSY_POLLS) {
            return STATUS_TIMEOUT;
        }
        WRITE_PORT_UCHAR(base + DATA, value);
        KeStallExecutionProcessor(10);
        WRITE_PORT_UCHAR(base + CONTROL, (byte) (LP_PSELECP | LP_PINITP | LP_PSTROBE));
        KeStallExecutionProcessor(10);
        WRITE_PORT_UCHAR(base + CONTROL, (byte) (LP_PSELECP | LP_PINITP));
        return STATUS_SUCCESS;
    }

    // ------------------------------------------------------------------ pnp / power

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        CommonExtension common = (CommonExtension) DeviceObject.DeviceExtension;
        if (!common.IsFdo) {
            // the raw child has nothing to do: it succeeds what its bus driver (us) was asked
            int status = Irp.IoStatus.Status;
            IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
            if (stack.MinorFunction == IRP_MN_START_DEVICE) {
                common.PnpState = CommonExtension.STARTED;
                status = STATUS_SUCCESS;
                Irp.IoStatus.Status = status;
            }
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        return FdoPnp(DeviceObject, Irp);
    }

    private int FdoPnp(DeviceObject DeviceObject, Irp Irp) {
        FdoExtension ext = (FdoExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE:
                status = ForwardIrpAndWait(ext, Irp);
                if (NT_SUCCESS(status)) {
                    status = FdoStartDevice(ext, stack.Parameters.StartDevice.AllocatedResources);
                }
                Irp.IoStatus.Status = status;
                Irp.IoStatus.Information = 0;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            case IRP_MN_QUERY_DEVICE_RELATIONS:
                status = FdoQueryBusRelations(DeviceObject, Irp);
                if (!NT_SUCCESS(status)) {
                    Irp.IoStatus.Status = status;
                    IoCompleteRequest(Irp, IO_NO_INCREMENT);
                    return status;
                }
                Irp.IoStatus.Status = status;
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(ext.LowerDevice, Irp);
            case IRP_MN_REMOVE_DEVICE:
                IoAcquireRemoveLock(ext.RemoveLock, Irp);
                IoReleaseRemoveLockAndWait(ext.RemoveLock, Irp);
                ext.PnpState = CommonExtension.REMOVED;
                if (ext.AttachedRawPdo != null) {
                    IoDeleteDevice(ext.AttachedRawPdo);
                    ext.AttachedRawPdo = null;
                }
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

    private int ForwardIrpAndWait(FdoExtension ext, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::ForwardIrpAndWaitCompletion, event, true, true, true);
        int status = IoCallDriver(ext.LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            status = KeWaitForSingleObject(event, Executive, KernelMode, false, null);
            if (NT_SUCCESS(status)) {
                status = Irp.IoStatus.Status;
            }
        }
        return status;
    }

    @Role(IoCompletionRoutine.class)
    int ForwardIrpAndWaitCompletion(DeviceObject DeviceObject, Irp Irp, Object Context) {
        if (Irp.PendingReturned) {
            KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        }
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    private int FdoStartDevice(FdoExtension ext, CmResourceList resources) {
        if (resources == null || resources.Count != 1) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        ext.BaseAddress = 0;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypePort && ext.BaseAddress == 0) {
                if (d.u.Port.Length < 4) {
                    return STATUS_INSUFFICIENT_RESOURCES;
                }
                ext.BaseAddress = d.u.Port.Start;
            }
            // the interrupt, if any, is not used: the port is driven by polling
        }
        if (ext.BaseAddress == 0) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        // bring the printer out of reset, selected
        WRITE_PORT_UCHAR(ext.BaseAddress + CONTROL, (byte) LP_PSELECP);
        KeStallExecutionProcessor(50);
        WRITE_PORT_UCHAR(ext.BaseAddress + CONTROL, (byte) (LP_PSELECP | LP_PINITP));
        ext.PnpState = CommonExtension.STARTED;
        return STATUS_SUCCESS;
    }

    private int FdoCreateRawParallelPdo(DeviceObject DeviceObject) {
        FdoExtension fdoExt = (FdoExtension) DeviceObject.DeviceExtension;
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DeviceObject.DriverObject, PdoExtension.class, null, FILE_DEVICE_UNKNOWN, 0,
                false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject pdo = created.value;
        PdoExtension pdoExt = (PdoExtension) pdo.DeviceExtension;
        pdoExt.IsFdo = false;
        pdoExt.PnpState = CommonExtension.STOPPED;
        pdoExt.AttachedFdo = DeviceObject;
        pdoExt.PortNumber = fdoExt.PortNumber;
        pdoExt.LptPort = fdoExt.PortNumber + 1;
        pdo.StackSize = DeviceObject.StackSize + 1;
        pdo.Flags |= DO_BUFFERED_IO;
        pdo.Flags &= ~DO_DEVICE_INITIALIZING;
        fdoExt.AttachedRawPdo = pdo;
        return STATUS_SUCCESS;
    }

    @Pageable
    private int FdoQueryBusRelations(DeviceObject DeviceObject, Irp Irp) {
        PAGED_CODE();
        FdoExtension ext = (FdoExtension) DeviceObject.DeviceExtension;
        if (ext.AttachedRawPdo == null) {
            int status = FdoCreateRawParallelPdo(DeviceObject);
            if (!NT_SUCCESS(status)) {
                return status;
            }
        }
        byte[] relations = ExAllocatePoolWithTag(PagedPool, 16, PARPORT_TAG);
        if (relations == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        relations[0] = 1;
        Irp.IoStatus.Information = relations.length;
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int DispatchPower(DeviceObject DeviceObject, Irp Irp) {
        CommonExtension common = (CommonExtension) DeviceObject.DeviceExtension;
        if (common.IsFdo) {
            IoSkipCurrentIrpStackLocation(Irp);
            return IoCallDriver(((FdoExtension) common).LowerDevice, Irp);
        }
        int status = Irp.IoStatus.Status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }
}
