package rules.dpccontextnotresident.goodcontextfieldfromnonpagedpool;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The stream object of the bad sample, allocated with the pool type its helper picks: nonpaged,
 * since a DPC reads it. Every assignment of the extension's stream field stores resident memory.
 */
final class GoodContextFieldFromNonPagedPool {
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
        return NonPagedPool;
    }

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        if (IoGetCurrentIrpStackLocation(Irp).MinorFunction == IRP_MN_START_DEVICE) {
            KeInitializeDpc(ext.RetryDpc, this::RetryDpc, ext.Render);
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
