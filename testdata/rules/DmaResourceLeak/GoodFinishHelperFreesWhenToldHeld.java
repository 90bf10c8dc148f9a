package rules.dmaresourceleak.goodfinishhelperfreeswhentoldheld;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * One helper finishes every request, in the AMCC S5933 manner: it frees the adapter channel only
 * when its caller says the channel is held. The DPC holds it and says so on both its paths; the
 * dispatch routine fails a request before any channel was allocated and says it is not.
 */
final class GoodFinishHelperFreesWhenToldHeld {
    static final class Extension {
        DmaAdapter Adapter;
        Mdl Mdl;
        Object MapRegisterBase;
        int Status;
        int BytesDone;
        int TotalLength;
    }

    @Role(DriverDispatch.class)
    int DispatchWrite(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        if (IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length == 0) {
            Finish(ext, DeviceObject, Irp, STATUS_INVALID_PARAMETER, false);
            return STATUS_INVALID_PARAMETER;
        }
        IoMarkIrpPending(Irp);
        IoStartPacket(DeviceObject, Irp, null, null);
        return STATUS_PENDING;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        ext.TotalLength = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
        ext.BytesDone = 0;
        ext.Adapter.DmaOperations.AllocateAdapterChannel(ext.Adapter, DeviceObject, 1, this::AdapterControl, ext);
    }

    @Role(DriverControl.class)
    int AdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        Extension ext = (Extension) Context;
        ext.MapRegisterBase = MapRegisterBase;
        ext.Adapter.DmaOperations.MapTransfer(ext.Adapter, ext.Mdl, MapRegisterBase, 0, new Out<>(ext.TotalLength), true);
        return KeepObject;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        ext.Adapter.DmaOperations.FlushAdapterBuffers(ext.Adapter, ext.Mdl, ext.MapRegisterBase, 0, ext.TotalLength, true);
        if (ext.Status != 0) {
            Finish(ext, DeviceObject, Irp, STATUS_DEVICE_DATA_ERROR, true);
            return;
        }
        ext.BytesDone = ext.TotalLength;
        Finish(ext, DeviceObject, Irp, STATUS_SUCCESS, true);
    }

    private void Finish(Extension ext, DeviceObject device, Irp irp, int status, boolean channelHeld) {
        irp.IoStatus.Status = status;
        irp.IoStatus.Information = NT_SUCCESS(status) ? ext.BytesDone : 0;
        if (channelHeld) {
            ext.Adapter.DmaOperations.FreeAdapterChannel(ext.Adapter);
            IoStartNextPacket(device, false);
        }
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
