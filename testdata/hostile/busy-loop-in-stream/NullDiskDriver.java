package hostile.busyloopinstream;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.stream.LongStream;

/**
 * A driver whose dispatch routine sums an endless stream through a lambda:
 * the loop is the JDK's, the lambda is the driver's. Reported as a hang.
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
        long checksum = LongStream.iterate(1, x -> x * 31 + 7).map(x -> x & 0xFF).sum(); // expect: DriverHang
        Irp.IoStatus.Information = checksum & 0;
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
