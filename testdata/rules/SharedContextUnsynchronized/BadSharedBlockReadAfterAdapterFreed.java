package rules.sharedcontextunsynchronized.badsharedblockreadafteradapterfreed;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A two-port bus-master controller whose ports share one adapter channel and one interrupt.
 * The adapter channel serializes the ports. The ISR latches the controller status in the shared
 * host-adapter block. The port's DPC frees the adapter channel and only then reads the latched
 * status: the other port's adapter control routine may run at once, start its transfer, and its
 * interrupt overwrites the status.
 */
final class BadSharedBlockReadAfterAdapterFreed {
    static final long BM_COMMAND = 0xC000;
    static final long BM_STATUS = 0xC002;

    static final class Hba {
        KInterrupt Interrupt;
        DmaAdapter Adapter;
        boolean Busy;
        Port Owner;
        int LastStatus;
    }

    static final class Port {
        DeviceObject Device;
        Hba Hba;
        Object MapRegisterBase;
        long Va;
        int Length;
        boolean Write;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Port port = (Port) Pdo.DeviceExtension;
        port.Device = Pdo;
        IoInitializeDpcRequest(Pdo, this::Dpc);
        Hba hba = port.Hba;
        if (hba.Interrupt != null) {
            return STATUS_SUCCESS;
        }
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::Isr, hba, null, 15, 15, 15, LevelSensitive, true, 1, false);
        hba.Interrupt = interrupt.value;
        return status;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Port port = (Port) DeviceObject.DeviceExtension;
        port.Write = IoGetCurrentIrpStackLocation(Irp).MajorFunction == IRP_MJ_WRITE;
        port.Va = MmGetMdlVirtualAddress(Irp.MdlAddress);
        port.Length = MmGetMdlByteCount(Irp.MdlAddress);
        DmaAdapter adapter = port.Hba.Adapter;
        adapter.DmaOperations.AllocateAdapterChannel(adapter, DeviceObject, 16, this::AdapterControl, port);
    }

    @Role(DriverControl.class)
    int AdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        Port port = (Port) Context;
        port.MapRegisterBase = MapRegisterBase;
        Out<Integer> length = new Out<>(port.Length);
        port.Hba.Adapter.DmaOperations.MapTransfer(port.Hba.Adapter, Irp.MdlAddress, MapRegisterBase, port.Va, length, port.Write);
        KeSynchronizeExecution(port.Hba.Interrupt, this::Go, port);
        return KeepObject;
    }

    @Role(KSynchronizeRoutine.class)
    boolean Go(Object Context) {
        Port port = (Port) Context;
        port.Hba.Owner = port;
        port.Hba.Busy = true;
        WRITE_PORT_UCHAR(BM_COMMAND, (byte) (port.Write ? 0x01 : 0x09));
        return true;
    }

    @Role(KServiceRoutine.class)
    boolean Isr(KInterrupt Interrupt, Object ServiceContext) {
        Hba hba = (Hba) ServiceContext;
        if (!hba.Busy) {
            return false;
        }
        hba.LastStatus = READ_PORT_UCHAR(BM_STATUS);
        WRITE_PORT_UCHAR(BM_COMMAND, (byte) 0x00);
        hba.Busy = false;
        Port port = hba.Owner;
        IoRequestDpc(port.Device, port.Device.CurrentIrp, hba);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void Dpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Port port = (Port) DeviceObject.DeviceExtension;
        Hba hba = (Hba) Context;
        DmaAdapter adapter = hba.Adapter;
        adapter.DmaOperations.FlushAdapterBuffers(adapter, Irp.MdlAddress, port.MapRegisterBase, port.Va, port.Length, port.Write);
        adapter.DmaOperations.FreeAdapterChannel(adapter);
        boolean failed = (hba.LastStatus & 0x02) != 0; // expect: SharedContextUnsynchronized
        Irp.IoStatus.Status = failed ? STATUS_DEVICE_DATA_ERROR : STATUS_SUCCESS;
        Irp.IoStatus.Information = failed ? 0 : port.Length;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_DISK_INCREMENT);
    }
}
