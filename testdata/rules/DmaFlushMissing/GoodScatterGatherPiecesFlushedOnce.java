package rules.dmaflushmissing.goodscattergatherpiecesflushedonce;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** AdapterControl maps two pieces of one transfer; after the transfer the DPC flushes once. */
final class GoodScatterGatherPiecesFlushedOnce {
    DmaAdapter Adapter;
    Mdl Mdl;
    Object MapRegisterBase;

    @Role(DriverControl.class)
    int AdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        this.MapRegisterBase = MapRegisterBase;
        Adapter.DmaOperations.MapTransfer(Adapter, Mdl, MapRegisterBase, 0, new Out<>(4096), false);
        Adapter.DmaOperations.MapTransfer(Adapter, Mdl, MapRegisterBase, 4096, new Out<>(4096), false);
        return KeepObject;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Adapter.DmaOperations.FlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, 0, 8192, false);
        Adapter.DmaOperations.FreeAdapterChannel(Adapter);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
