package rules.rules.dmaflushmissing.baderrorbranchcompletesunflushed;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** Only the success branch flushes; the error branch completes the IRP with the transfer still mapped. */
final class BadErrorBranchCompletesUnflushed {
    DmaAdapter Adapter;
    Mdl Mdl;
    Object MapRegisterBase;
    int Error;

    @Role(DriverControl.class)
    int AdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        this.MapRegisterBase = MapRegisterBase;
        Adapter.DmaOperations.MapTransfer(Adapter, Mdl, MapRegisterBase, 0, new Out<>(4096), false);
        return KeepObject;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        if (Error == 0) {
            Adapter.DmaOperations.FlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, 0, 4096, false);
            Irp.IoStatus.Status = STATUS_SUCCESS;
        } else {
            Irp.IoStatus.Status = STATUS_DEVICE_DATA_ERROR;
        }
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT); // expect: DmaFlushMissing
        Adapter.DmaOperations.FreeAdapterChannel(Adapter);
    }
}
