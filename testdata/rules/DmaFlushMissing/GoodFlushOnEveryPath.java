package rules.dmaflushmissing.goodflushoneverypath;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The DPC ends every transfer with FlushAdapterBuffers before it maps the next piece or frees the channel. */
final class GoodFlushOnEveryPath {
    DmaAdapter Adapter;
    Mdl Mdl;
    Object MapRegisterBase;
    long Va;
    int Done;
    int Total;

    @Role(DriverControl.class)
    int AdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        this.MapRegisterBase = MapRegisterBase;
        MapNext();
        return KeepObject;
    }

    private void MapNext() {
        Out<Integer> length = new Out<>(Math.min(Total - Done, 8192));
        Adapter.DmaOperations.MapTransfer(Adapter, Mdl, MapRegisterBase, Va + Done, length, false);
        Done += length.value;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Adapter.DmaOperations.FlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Done, false);
        if (Done < Total) {
            MapNext();
            return;
        }
        Adapter.DmaOperations.FreeAdapterChannel(Adapter);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
