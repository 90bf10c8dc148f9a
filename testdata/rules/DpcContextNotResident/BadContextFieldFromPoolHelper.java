package rules.dpccontextnotresident.badcontextfieldfrompoolhelper;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A stream object carries what the retry timer's DPC needs. AddDevice allocates it with the pool
 * type a helper picks (paged: streams are created at PASSIVE_LEVEL) and keeps it in the device
 * extension; StartDevice later gives the extension's stream to KeInitializeDpc. The DPC then
 * touches paged memory at DISPATCH_LEVEL.
 */
final class BadContextFieldFromPoolHelper {
    static final int TAG = 0x2055504D;

    static final class Stream {
        Extension Owner;
        int Pending;
    }

    static final class Extension {
        Kdpc RetryDpc;
        Stream Render;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Extension ext = (Extension) Pdo.DeviceExtension;
        Stream stream = ExAllocatePoolWithTag(StreamPool(), Stream.class, TAG);
        if (stream == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        stream.Owner = ext;
        ext.Render = stream;
        return STATUS_SUCCESS;
    }

    private static int StreamPool() {
        return PagedPool;
    }

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        if (IoGetCurrentIrpStackLocation(Irp).MinorFunction == IRP_MN_START_DEVICE) {
            KeInitializeDpc(ext.RetryDpc, this::RetryDpc, ext.Render); // expect: DpcContextNotResident
        }
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @Role(KDeferredRoutine.class)
    void RetryDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Stream stream = (Stream) DeferredContext;
        stream.Pending--;
    }
}
