package rules.dmaresourceleak.badchannelfreedafterkeepregisters;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The AdapterControl routine maps the transfer and gives the channel back at once, keeping only
 * the map registers (DeallocateObjectKeepRegisters); the DPC frees the registers and then the
 * channel too, which it no longer holds.
 */
final class BadChannelFreedAfterKeepRegisters {
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
        return DeallocateObjectKeepRegisters;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        ext.Adapter.DmaOperations.FlushAdapterBuffers(ext.Adapter, ext.Mdl, ext.MapRegisterBase, 0, ext.Length, false);
        ext.Adapter.DmaOperations.FreeMapRegisters(ext.Adapter, ext.MapRegisterBase, ext.MapRegisterCount);
        ext.Adapter.DmaOperations.FreeAdapterChannel(ext.Adapter); // expect: DmaResourceLeak
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = ext.Length;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
