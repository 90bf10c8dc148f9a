package rules.dmaresourceleak.goodchannelfreedonceoneverypath;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** Both the error path and the success path free the channel once before completing the IRP. */
final class GoodChannelFreedOnceOnEveryPath {
    DmaAdapter Adapter;
    Mdl Mdl;
    Object MapRegisterBase;
    int Status;

    @Role(DriverControl.class)
    int AdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        this.MapRegisterBase = MapRegisterBase;
        Adapter.DmaOperations.MapTransfer(Adapter, Mdl, MapRegisterBase, 0, new Out<>(4096), false);
        return KeepObject;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Adapter.DmaOperations.FlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, 0, 4096, false);
        Adapter.DmaOperations.FreeAdapterChannel(Adapter);
        Irp.IoStatus.Status = Status != 0 ? STATUS_DEVICE_DATA_ERROR : STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
