package rules.dmaresourceleak.badregisterskeptpastcompletion;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The AdapterControl routine keeps only the map registers (the action is kept in a local); on a
 * device error the DPC completes the request without freeing them.
 */
final class BadRegistersKeptPastCompletion {
    static final class Extension {
        DmaAdapter Adapter;
        Mdl Mdl;
        Object MapRegisterBase;
        int Length;
        int MapRegisterCount;
        int HwStatus;
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
        int action = DeallocateObjectKeepRegisters;
        ext.MapRegisterBase = MapRegisterBase;
        ext.Adapter.DmaOperations.MapTransfer(ext.Adapter, ext.Mdl, MapRegisterBase, 0, new Out<>(ext.Length), false);
        return action;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        ext.Adapter.DmaOperations.FlushAdapterBuffers(ext.Adapter, ext.Mdl, ext.MapRegisterBase, 0, ext.Length, false);
        int status = STATUS_SUCCESS;
        if (ext.HwStatus != 0) {
            status = STATUS_DEVICE_DATA_ERROR;
        } else {
            ext.Adapter.DmaOperations.FreeMapRegisters(ext.Adapter, ext.MapRegisterBase, ext.MapRegisterCount);
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = ext.Length;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    } // expect: DmaResourceLeak
}
