package rules.dmaresourceleak.badchannelkeptonerrorpath;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** On a device error the DPC completes the IRP but keeps the adapter channel. */
final class BadChannelKeptOnErrorPath {
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
        if (Status != 0) {
            Irp.IoStatus.Status = STATUS_DEVICE_DATA_ERROR;
            IoStartNextPacket(DeviceObject, false);
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return; // expect: DmaResourceLeak
        }
        Adapter.DmaOperations.FreeAdapterChannel(Adapter);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
