package rules.dmaresourceleak.goodtwodeviceseachfreeswhatitholds;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A combo controller: the disk uses system DMA and keeps the channel until its DPC; the tape is a
 * bus master whose AdapterControl routine gives the channel back at once (the action comes from a
 * helper) and keeps only the map registers. Each DPC frees what its device still holds.
 */
final class GoodTwoDevicesEachFreesWhatItHolds {
    static final class DiskDevice {
        DmaAdapter Adapter;
        Mdl Mdl;
        Object MapRegisterBase;
        int Length;
        int Error;

        @Role(DriverStartIo.class)
        void DiskStartIo(DeviceObject DeviceObject, Irp Irp) {
            Mdl = Irp.MdlAddress;
            Length = IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length;
            Adapter.DmaOperations.AllocateAdapterChannel(Adapter, DeviceObject, 2, this::DiskAdapterControl, this);
        }

        @Role(DriverControl.class)
        int DiskAdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
            this.MapRegisterBase = MapRegisterBase;
            Adapter.DmaOperations.MapTransfer(Adapter, Mdl, MapRegisterBase, 0, new Out<>(Length), false);
            return KeepObject;
        }

        @Role(IoDpcRoutine.class)
        void DiskDpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
            Adapter.DmaOperations.FlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, 0, Length, false);
            Adapter.DmaOperations.FreeAdapterChannel(Adapter);
            Irp.IoStatus.Status = Error == 0 ? STATUS_SUCCESS : STATUS_DEVICE_DATA_ERROR;
            Irp.IoStatus.Information = Length;
            IoStartNextPacket(DeviceObject, false);
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
        }
    }

    static final class TapeDevice {
        DmaAdapter Adapter;
        Mdl Mdl;
        Object MapRegisterBase;
        int Length;
        int Registers;
        int Error;

        @Role(DriverStartIo.class)
        void TapeStartIo(DeviceObject DeviceObject, Irp Irp) {
            Mdl = Irp.MdlAddress;
            Length = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
            Adapter.DmaOperations.AllocateAdapterChannel(Adapter, DeviceObject, Registers, this::TapeAdapterControl, this);
        }

        private int ActionAfterMapping() {
            // a bus master needs only its map registers once the transfer is mapped
            return DeallocateObjectKeepRegisters;
        }

        @Role(DriverControl.class)
        int TapeAdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
            this.MapRegisterBase = MapRegisterBase;
            Adapter.DmaOperations.MapTransfer(Adapter, Mdl, MapRegisterBase, 0, new Out<>(Length), true);
            return ActionAfterMapping();
        }

        @Role(IoDpcRoutine.class)
        void TapeDpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
            Adapter.DmaOperations.FlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, 0, Length, true);
            Adapter.DmaOperations.FreeMapRegisters(Adapter, MapRegisterBase, Registers);
            Irp.IoStatus.Status = Error == 0 ? STATUS_SUCCESS : STATUS_DEVICE_DATA_ERROR;
            Irp.IoStatus.Information = Length;
            IoStartNextPacket(DeviceObject, false);
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
        }
    }
}
