package rules.dmaresourceleak.badonlyregistersfreedafterkeepobject;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The AdapterControl routine keeps the adapter channel (KeepObject), but the DPC gives back only
 * the map registers, as if the routine had returned DeallocateObjectKeepRegisters: the channel is
 * never freed and the next AllocateAdapterChannel waits for ever.
 */
final class BadOnlyRegistersFreedAfterKeepObject {
    static final class Extension {
        DmaAdapter Adapter;
        Mdl Mdl;
        Object MapRegisterBase;
        int Length;
        int MapRegisterCount;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        ext.Mdl = Irp.MdlAddress;
        ext.Length = IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length;
        ext.Adapter.DmaOperations.AllocateAdapterChannel(ext.Adapter, DeviceObject, ext.MapRegisterCount,
                this::AdapterControl, ext);
    }

    @Role(DriverControl.class)
    int AdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        Extension ext = (Extension) Context;
        if (ext.Mdl == null) {
            return DeallocateObject;
        }
        ext.MapRegisterBase = MapRegisterBase;
        ext.Adapter.DmaOperations.MapTransfer(ext.Adapter, ext.Mdl, MapRegisterBase, 0, new Out<>(ext.Length), false);
        return KeepObject;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        ext.Adapter.DmaOperations.FlushAdapterBuffers(ext.Adapter, ext.Mdl, ext.MapRegisterBase, 0, ext.Length, false);
        ext.Adapter.DmaOperations.FreeMapRegisters(ext.Adapter, ext.MapRegisterBase, ext.MapRegisterCount);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = ext.Length;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    } // expect: DmaResourceLeak
}
