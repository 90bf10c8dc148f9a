package rules.dmaflushmissing.badnextpartialtransferwithoutflush;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The DPC maps the next piece of a large transfer, and frees the channel, without ending the last one. */
final class BadNextPartialTransferWithoutFlush {
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
        if (Done < Total) {
            MapNext(); // expect: DmaFlushMissing
            return;
        }
        Adapter.DmaOperations.FreeAdapterChannel(Adapter); // expect: DmaFlushMissing
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
