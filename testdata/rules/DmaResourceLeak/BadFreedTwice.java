package rules.dmaresourceleak.badfreedtwice;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** A helper frees the channel, and so does its caller. */
final class BadFreedTwice {
    DmaAdapter Adapter;
    Mdl Mdl;
    Object MapRegisterBase;

    @Role(DriverControl.class)
    int AdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        this.MapRegisterBase = MapRegisterBase;
        Adapter.DmaOperations.MapTransfer(Adapter, Mdl, MapRegisterBase, 0, new Out<>(4096), false);
        return KeepObject;
    }

    private void EndTransfer() {
        Adapter.DmaOperations.FlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, 0, 4096, false);
        Adapter.DmaOperations.FreeAdapterChannel(Adapter);
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        EndTransfer();
        Adapter.DmaOperations.FreeAdapterChannel(Adapter); // expect: DmaResourceLeak
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
