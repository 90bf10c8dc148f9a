package rules.irpusedaftercompletion.goodpassthroughbranchonlyforitsfunctions;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A serial filter whose pass-through helper, for a create, forwards the IRP and then looks at what
 * came back (a use after the IRP was handed down). The create has its own dispatch routine, which
 * forwards and returns; the pass-through routine is registered for every other function, so the
 * helper's create branch is never taken from it.
 */
final class GoodPassThroughBranchOnlyForItsFunctions {
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
        Filter filter = (Filter) DeviceObject.DeviceExtension;
        IoSkipCurrentIrpStackLocation(Irp);
        return IoCallDriver(filter.Lower, Irp);
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
