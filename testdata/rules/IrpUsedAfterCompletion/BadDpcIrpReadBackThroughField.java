package rules.irpusedaftercompletion.baddpcirpreadbackthroughfield;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A legacy NIC that sends one frame per write IRP. StartIo keeps the IRP it starts in the
 * adapter block and copies the frame to the card; the ISR acknowledges the transmit interrupt and
 * queues the DPC with DeviceObject.CurrentIrp. The DPC completes the IRP it was handed, then adds
 * the frame length to the byte counter reading it from the adapter block's IRP: the same IRP, now
 * completed and possibly freed.
 */
final class BadDpcIrpReadBackThroughField {
    static final long TX_CMD = 0x300;
    static final long ISR_REG = 0x307;
    static final long TX_DATA = 0x310;

    static final class Adapter {
        KInterrupt Interrupt;
        Irp SendIrp;
        boolean Sending;
        int TxStatus;
        long BytesSent;
        int FramesSent;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Adapter adapter = (Adapter) Pdo.DeviceExtension;
        IoInitializeDpcRequest(Pdo, this::Dpc);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::Isr, Pdo, null, 10, 10, 10, LevelSensitive, true, 1, false);
        adapter.Interrupt = interrupt.value;
        return status;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Adapter adapter = (Adapter) DeviceObject.DeviceExtension;
        adapter.SendIrp = Irp;
        Irp.IoStatus.Information = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
        KeSynchronizeExecution(adapter.Interrupt, this::Transmit, DeviceObject);
    }

    @Role(KSynchronizeRoutine.class)
    boolean Transmit(Object Context) {
        DeviceObject device = (DeviceObject) Context;
        Adapter adapter = (Adapter) device.DeviceExtension;
        byte[] frame = adapter.SendIrp.AssociatedIrp.SystemBuffer;
        for (int i = 0; i < frame.length; i++) {
            WRITE_PORT_UCHAR(TX_DATA, frame[i]);
        }
        adapter.Sending = true;
        WRITE_PORT_UCHAR(TX_CMD, (byte) 0x26);
        return true;
    }

    @Role(KServiceRoutine.class)
    boolean Isr(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject device = (DeviceObject) ServiceContext;
        Adapter adapter = (Adapter) device.DeviceExtension;
        if (!adapter.Sending) {
            return false;
        }
        adapter.TxStatus = READ_PORT_UCHAR(ISR_REG);
        WRITE_PORT_UCHAR(ISR_REG, (byte) 0xFF);
        adapter.Sending = false;
        IoRequestDpc(device, device.CurrentIrp, null);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void Dpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Adapter adapter = (Adapter) DeviceObject.DeviceExtension;
        boolean ok = (adapter.TxStatus & 0x0A) == 0x02;
        Irp.IoStatus.Status = ok ? STATUS_SUCCESS : STATUS_DEVICE_DATA_ERROR;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        if (ok) {
            adapter.FramesSent++;
            adapter.BytesSent += adapter.SendIrp.IoStatus.Information; // expect: IrpUsedAfterCompletion
        }
        adapter.SendIrp = null;
        IoStartNextPacket(DeviceObject, false);
    }
}
