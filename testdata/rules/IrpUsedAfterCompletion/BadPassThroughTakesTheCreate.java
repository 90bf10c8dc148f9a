package rules.irpusedaftercompletion.badpassthroughtakesthecreate;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The filter of the good sample, but its create routine calls the pass-through helper: the create
 * branch runs, and reads the IRP after IoCallDriver handed it to a driver that completes it.
 */
final class BadPassThroughTakesTheCreate {
    static final class Filter {
        DeviceObject Lower;
        boolean Dirty;
    }

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        for (int i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++) {
            DriverObject.MajorFunction[i] = this::DispatchPassThrough;
        }
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::DispatchCreate;
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int DispatchCreate(DeviceObject DeviceObject, Irp Irp) {
        return PassThrough(DeviceObject, Irp); // expect: IrpUsedAfterCompletion
    }

    @Role(DriverDispatch.class)
    int DispatchPassThrough(DeviceObject DeviceObject, Irp Irp) {
        return PassThrough(DeviceObject, Irp);
    }

    private int PassThrough(DeviceObject DeviceObject, Irp Irp) {
        Filter filter = (Filter) DeviceObject.DeviceExtension;
        // the function is read before the IRP is handed down: its stack location goes with it
        int major = IoGetCurrentIrpStackLocation(Irp).MajorFunction;
        IoSkipCurrentIrpStackLocation(Irp);
        int status = IoCallDriver(filter.Lower, Irp);
        if (major == IRP_MJ_CREATE && Irp.IoStatus.Information == 0) {
            filter.Dirty = true;
        }
        return status;
    }
}
