package hostile.memoryhog;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.ArrayList;
import java.util.List;

/**
 * A driver that keeps allocating one-megabyte buffers in its dispatch routine
 * until the heap runs out. Reported as the driver's unhandled OutOfMemoryError.
 */
@HardwareId("SIM\\DMADISK")
public final class NullDiskDriver {
    static final class Extension {
        DeviceObject Self;
        DeviceObject Lower;
        int Opens;
    }

    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        for (int i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++) {
            DriverObject.MajorFunction[i] = this::Refuse;
        }
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::Pnp;
        DriverObject.DriverUnload = this::Unload;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, Extension.class, null, FILE_DEVICE_DISK, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        Extension ext = (Extension) created.value.DeviceExtension;
        ext.Self = created.value;
        ext.Lower = IoAttachDeviceToDeviceStack(created.value, Pdo);
        created.value.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int CreateClose(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        if (IoGetCurrentIrpStackLocation(Irp).MajorFunction == IRP_MJ_CREATE) {
            ext.Opens++; // expect: DataRace (two user threads open the device at once, without a lock)
        }
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int Refuse(DeviceObject DeviceObject, Irp Irp) {
        List<byte[]> hoard = new ArrayList<>();
        while (hoard.size() >= 0) {
            hoard.add(new byte[1 << 20]); // expect: UnhandledException
        }
        Irp.IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_INVALID_DEVICE_REQUEST;
    }

    @Role(DriverDispatch.class)
    int Pnp(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        int minor = IoGetCurrentIrpStackLocation(Irp).MinorFunction;
        if (minor == IRP_MN_REMOVE_DEVICE) {
            IoSkipCurrentIrpStackLocation(Irp);
            int status = IoCallDriver(ext.Lower, Irp);
            IoDetachDevice(ext.Lower);
            IoDeleteDevice(DeviceObject);
            return status;
        }
        IoSkipCurrentIrpStackLocation(Irp);
        return IoCallDriver(ext.Lower, Irp);
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }
}
