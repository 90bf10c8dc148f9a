package corpus.ramdiskiostatusnotset;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A RAM disk: a bus device on which an application creates RAM disks with an FSCTL, and one drive
 * device per disk whose reads and writes copy between the request buffer and the image. Disks of
 * the memory-mapped kind are served asynchronously (the IRP is marked pending and handed to a
 * worker), the others synchronously in the dispatch routine; both paths share one copy helper that
 * returns a status and fills in IoStatus.Information. IOCTLs answer geometry and partition queries;
 * the drive holds its remove lock across every request.
 * Re-expressed from: reactos/reactos/drivers/storage/class/ramdisk/ramdisk.c (structure and facts, not code).
 */
public final class Ramdisk {
    static final int TAG = 0x646d6152;
    static final int RAMDISK_REGISTRY_DISK = 1;
    static final int RAMDISK_MEMORY_MAPPED_DISK = 2;
    static final int RAMDISK_BOOT_DISK = 3;
    static final int STATUS_MEDIA_WRITE_PROTECTED = 0xC00000A2;
    static final int FILE_DEVICE_BUS_EXTENDER = 0x0000002a;
    static final int FSCTL_CREATE_RAM_DISK = 0x00094000;
    static final int IOCTL_DISK_GET_DRIVE_GEOMETRY = 0x00070000;
    static final int IOCTL_DISK_GET_PARTITION_INFO = 0x00074004;
    static final int DISK_GEOMETRY_SIZE = 24;
    static final int PARTITION_INFORMATION_SIZE = 32;
    static final int RamdiskStateUninitialized = 0;
    static final int RamdiskStateStarted = 1;
    static final int RamdiskStateRemoved = 4;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::OpenClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::OpenClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::ReadWrite;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = this::ReadWrite;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = this::DeviceControl;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::Pnp;
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        DriverObject.DriverUnload = this::Unload;
        return STATUS_SUCCESS;
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject PhysicalDeviceObject) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, RamdiskExtension.class, new UnicodeString("\\Device\\Ramdisk"),
                FILE_DEVICE_BUS_EXTENDER, FILE_DEVICE_SECURE_OPEN, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        RamdiskExtension bus = (RamdiskExtension) fdo.DeviceExtension;
        bus.Type = RamdiskExtension.RamdiskBus;
        bus.State = RamdiskStateUninitialized;
        bus.DeviceObject = fdo;
        bus.PhysicalDeviceObject = PhysicalDeviceObject;
        KeInitializeSpinLock(bus.DiskListLock);
        IoInitializeRemoveLock(bus.RemoveLock, TAG, 1, 0);
        bus.AttachedDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (bus.AttachedDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_NOT_SUPPORTED;
        }
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int OpenClose(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Information = 1;
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    // ---- creating a disk ----

    /** Creates the drive device for a new disk of the given size; the bus keeps it on its list. */
    private int CreateDiskDevice(RamdiskExtension bus, int diskType, long length, boolean readonly,
            Out<DriveExtension> newDrive) {
        if (diskType < RAMDISK_REGISTRY_DISK || diskType > RAMDISK_BOOT_DISK || length <= 0
                || length > 64 * 1024 * 1024 || length % 512 != 0) {
            return STATUS_INVALID_PARAMETER;
        }
        byte[] image = ExAllocatePoolWithTag(NonPagedPool, length, TAG);
        if (image == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(bus.DeviceObject.DriverObject, DriveExtension.class, null, FILE_DEVICE_DISK, 0,
                false, created);
        if (!NT_SUCCESS(status)) {
            ExFreePoolWithTag(image, TAG);
            return status;
        }
        DeviceObject device = created.value;
        DriveExtension drive = (DriveExtension) device.DeviceExtension;
        drive.Type = RamdiskExtension.RamdiskDrive;
        drive.State = RamdiskStateStarted;
        drive.DeviceObject = device;
        drive.DiskType = diskType;
        drive.Readonly = readonly;
        drive.Fixed = true;
        drive.Image = image;
        drive.DiskLength = length;
        drive.BytesPerSector = 512;
        drive.SectorsPerTrack = 32;
        drive.NumberOfHeads = 2;
        drive.Cylinders = (int) (length / (512 * 32 * 2));
        drive.HiddenSectors = 0;
        IoInitializeRemoveLock(drive.RemoveLock, TAG, 1, 0);
        KeInitializeSpinLock(drive.WorkLock);
        KeInitializeDpc(drive.WorkerDpc, this::WorkerDpc, drive);
        device.Flags |= DO_DIRECT_IO;
        device.Flags &= ~DO_DEVICE_INITIALIZING;

        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(bus.DiskListLock, irql);
        bus.DiskList.add(drive);
        KeReleaseSpinLock(bus.DiskListLock, irql.value);
        newDrive.value = drive;
        return STATUS_SUCCESS;
    }

    /** FSCTL_CREATE_RAM_DISK: type (4 bytes), length (8 bytes), read-only flag (1 byte). */
    private int CreateRamdisk(DeviceObject DeviceObject, Irp Irp) {
        RamdiskExtension bus = (RamdiskExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        if (stack.Parameters.DeviceIoControl.InputBufferLength < 13) {
            return STATUS_INVALID_PARAMETER;
        }
        byte[] input = Irp.AssociatedIrp.SystemBuffer;
        int type = input[0] & 0xff;
        long length = 0;
        for (int i = 0; i < 8; i++) {
            length |= (long) (input[4 + i] & 0xff) << (8 * i);
        }
        Out<DriveExtension> drive = new Out<>();
        return CreateDiskDevice(bus, type, length, input[12] != 0, drive);
    }

    // ---- reads and writes ----

    /** Copies between the request buffer and the image; sets IoStatus.Information to the bytes moved. */
    private int ReadWriteReal(Irp Irp, DriveExtension drive) {
        byte[] systemVa = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority);
        if (systemVa == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        Irp.IoStatus.Information = 0;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        long offset = stack.Parameters.Read.ByteOffset;
        int bytesLeft = stack.Parameters.Read.Length;
        if (bytesLeft == 0) {
            return STATUS_INVALID_PARAMETER;
        }
        int status = STATUS_SUCCESS;
        int done = 0;
        while (bytesLeft > 0) {
            // one page-sized view at a time, as the mapped-view design does
            int chunk = Math.min(bytesLeft, PAGE_SIZE - (int) ((offset + done) % PAGE_SIZE));
            if (stack.MajorFunction == IRP_MJ_READ) {
                RtlCopyMemory(systemVa, done, drive.Image, (int) (offset + done), chunk);
            } else if (stack.MajorFunction == IRP_MJ_WRITE) {
                RtlCopyMemory(drive.Image, (int) (offset + done), systemVa, done, chunk);
            } else {
                status = STATUS_INVALID_PARAMETER;
                break;
            }
            Irp.IoStatus.Information += chunk;
            done += chunk;
            bytesLeft -= chunk;
        }
        return status;
    }

    /** Hands the IRP to the worker; it stays pending until the worker completes it. */
    private int SendIrpToThread(DriveExtension drive, Irp Irp) {
        IoMarkIrpPending(Irp);
        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(drive.WorkLock, irql);
        drive.WorkQueue.addLast(Irp);
        KeReleaseSpinLock(drive.WorkLock, irql.value);
        KeInsertQueueDpc(drive.WorkerDpc, null, null);
        return STATUS_PENDING;
    }

    @Role(DriverDispatch.class)
    int ReadWrite(DeviceObject DeviceObject, Irp Irp) {
        RamdiskExtension common = (RamdiskExtension) DeviceObject.DeviceExtension;
        int status;
        int returnStatus;
        if (common.Type == RamdiskExtension.RamdiskBus) {
            status = STATUS_INVALID_DEVICE_REQUEST;
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_DISK_INCREMENT);
            return status;
        }
        DriveExtension drive = (DriveExtension) common;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        long byteOffset = stack.Parameters.Read.ByteOffset;
        int length = stack.Parameters.Read.Length;
        status = IoAcquireRemoveLock(drive.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Information = 0;
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        if (byteOffset < 0 || byteOffset + length > drive.DiskLength || byteOffset % drive.BytesPerSector != 0) {
            status = STATUS_INVALID_PARAMETER;
        } else if (stack.MajorFunction == IRP_MJ_WRITE && drive.Readonly) {
            status = STATUS_MEDIA_WRITE_PROTECTED;
        } else if (drive.DiskType > RAMDISK_MEMORY_MAPPED_DISK) {
            status = ReadWriteReal(Irp, drive);
        } else {
            // the worker completes it and releases the remove lock
            return SendIrpToThread(drive, Irp);
        }
        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_DISK_INCREMENT);
        IoReleaseRemoveLock(drive.RemoveLock, Irp);
        returnStatus = status;
        return returnStatus;
    }

    @Role(KDeferredRoutine.class)
    void WorkerDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        DriveExtension drive = (DriveExtension) DeferredContext;
        while (true) {
            KeAcquireSpinLockAtDpcLevel(drive.WorkLock);
            Irp irp = drive.WorkQueue.pollFirst();
            KeReleaseSpinLockFromDpcLevel(drive.WorkLock);
            if (irp == null) {
                return;
            }
            IoStackLocation stack = IoGetCurrentIrpStackLocation(irp);
            int status;
            if (stack.MajorFunction == IRP_MJ_DEVICE_CONTROL) {
                status = GetPartitionInfo(irp, drive);
            } else {
                status = ReadWriteReal(irp, drive);
            }
            IoCompleteRequest(irp, IO_DISK_INCREMENT); // expect: IoStatusNotSet
            IoReleaseRemoveLock(drive.RemoveLock, irp);
        }
    }

    // ---- IOCTLs ----

    /** Fills in PARTITION_INFORMATION; sets the IRP's status and information itself. */
    private int GetPartitionInfo(Irp Irp, DriveExtension drive) {
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        if (stack.Parameters.DeviceIoControl.OutputBufferLength < PARTITION_INFORMATION_SIZE) {
            Irp.IoStatus.Status = STATUS_BUFFER_TOO_SMALL;
            Irp.IoStatus.Information = 0;
            return STATUS_BUFFER_TOO_SMALL;
        }
        byte[] info = Irp.AssociatedIrp.SystemBuffer;
        RtlZeroMemory(info, 0, PARTITION_INFORMATION_SIZE);
        long partitionLength = (long) drive.BytesPerSector * drive.SectorsPerTrack * drive.NumberOfHeads
                * drive.Cylinders;
        for (int i = 0; i < 8; i++) {
            info[i] = (byte) (drive.BytesPerSector >>> (8 * i));
            info[8 + i] = (byte) (partitionLength >>> (8 * i));
        }
        info[16] = (byte) drive.HiddenSectors;
        info[24] = 0x0C; // FAT32 (LBA)
        info[25] = (byte) (drive.DiskType == RAMDISK_BOOT_DISK ? 1 : 0);
        info[26] = 1;
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = PARTITION_INFORMATION_SIZE;
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int DeviceControl(DeviceObject DeviceObject, Irp Irp) {
        RamdiskExtension common = (RamdiskExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status = IoAcquireRemoveLock(common.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Information = 0;
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        status = STATUS_INVALID_DEVICE_REQUEST;
        long information = 0;
        if (common.Type == RamdiskExtension.RamdiskBus) {
            if (stack.Parameters.DeviceIoControl.IoControlCode == FSCTL_CREATE_RAM_DISK) {
                status = CreateRamdisk(DeviceObject, Irp);
            }
        } else {
            DriveExtension drive = (DriveExtension) common;
            switch (stack.Parameters.DeviceIoControl.IoControlCode) {
                case IOCTL_DISK_GET_DRIVE_GEOMETRY:
                    if (stack.Parameters.DeviceIoControl.OutputBufferLength < DISK_GEOMETRY_SIZE) {
                        status = STATUS_BUFFER_TOO_SMALL;
                        break;
                    }
                    byte[] geometry = Irp.AssociatedIrp.SystemBuffer;
                    RtlZeroMemory(geometry, 0, DISK_GEOMETRY_SIZE);
                    geometry[0] = (byte) drive.Cylinders;
                    geometry[1] = (byte) (drive.Cylinders >> 8);
                    geometry[8] = (byte) (drive.Fixed ? 12 : 11);
                    geometry[12] = (byte) drive.NumberOfHeads;
                    geometry[16] = (byte) drive.SectorsPerTrack;
                    geometry[20] = (byte) drive.BytesPerSector;
                    geometry[21] = (byte) (drive.BytesPerSector >> 8);
                    status = STATUS_SUCCESS;
                    information = DISK_GEOMETRY_SIZE;
                    break;
                case IOCTL_DISK_GET_PARTITION_INFO:
                    if (drive.DiskType > RAMDISK_MEMORY_MAPPED_DISK) {
                        status = GetPartitionInfo(Irp, drive);
                        information = Irp.IoStatus.Information;
                        break;
                    }
                    // mapped disks read the partition table in the worker
                    return SendIrpToThread(drive, Irp);
                default:
                    break;
            }
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        IoReleaseRemoveLock(common.RemoveLock, Irp);
        return status;
    }

    // ---- PnP ----

    @Role(DriverDispatch.class)
    int Pnp(DeviceObject DeviceObject, Irp Irp) {
        RamdiskExtension common = (RamdiskExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status = IoAcquireRemoveLock(common.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        if (common.Type == RamdiskExtension.RamdiskDrive) {
            // a drive is the bottom of its stack: it completes PnP itself
            if (stack.MinorFunction == IRP_MN_REMOVE_DEVICE) {
                common.State = RamdiskStateRemoved;
                IoReleaseRemoveLockAndWait(common.RemoveLock, Irp);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
            status = stack.MinorFunction == IRP_MN_START_DEVICE ? STATUS_SUCCESS : Irp.IoStatus.Status;
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            IoReleaseRemoveLock(common.RemoveLock, Irp);
            return status;
        }
        if (stack.MinorFunction == IRP_MN_REMOVE_DEVICE) {
            common.State = RamdiskStateRemoved;
            IoReleaseRemoveLockAndWait(common.RemoveLock, Irp);
            IoSkipCurrentIrpStackLocation(Irp);
            status = IoCallDriver(common.AttachedDevice, Irp);
            IoDetachDevice(common.AttachedDevice);
            IoDeleteDevice(DeviceObject);
            return status;
        }
        if (stack.MinorFunction == IRP_MN_START_DEVICE) {
            common.State = RamdiskStateStarted;
        }
        IoSkipCurrentIrpStackLocation(Irp);
        status = IoCallDriver(common.AttachedDevice, Irp);
        IoReleaseRemoveLock(common.RemoveLock, Irp);
        return status;
    }
}
