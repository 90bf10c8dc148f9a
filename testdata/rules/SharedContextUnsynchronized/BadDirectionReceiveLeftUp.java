package rules.sharedcontextunsynchronized.baddirectionreceiveleftup;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A half-duplex line whose direction flags are set through one helper, one from a parameter and
 * the other from its negation. After the last byte received the ISR queues its DPC but leaves the
 * receive flag up: an interrupt that comes in then (line noise) is taken as data, and the ISR
 * stores it through the transfer fields that the DPC and the next StartIo are using.
 */
final class BadDirectionReceiveLeftUp {
    static final long DATA = 0x2F8;
    static final long INT_ENABLE = 0x2F9;
    static final long MODEM_CONTROL = 0x2FC;

    static final class Line {
        KInterrupt Interrupt;
        boolean Sending;
        boolean Receiving;
        byte[] Data;
        int Next;
        int Count;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Line line = (Line) Pdo.DeviceExtension;
        IoInitializeDpcRequest(Pdo, this::LineDpc);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::LineIsr, Pdo, null, 3, 3, 3, Latched, false, 1, false);
        line.Interrupt = interrupt.value;
        return status;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Line line = (Line) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        line.Data = Irp.AssociatedIrp.SystemBuffer; // expect: SharedContextUnsynchronized
        line.Next = 0; // expect: SharedContextUnsynchronized
        line.Count = stack.MajorFunction == IRP_MJ_WRITE ? stack.Parameters.Write.Length : stack.Parameters.Read.Length; // expect: SharedContextUnsynchronized
        KeSynchronizeExecution(line.Interrupt, stack.MajorFunction == IRP_MJ_WRITE ? this::TurnToSend : this::TurnToReceive,
                line);
    }

    private static void Direction(Line line, boolean send) {
        line.Sending = send;
        line.Receiving = !send;
    }

    @Role(KSynchronizeRoutine.class)
    boolean TurnToSend(Object Context) {
        Line line = (Line) Context;
        Direction(line, true);
        WRITE_PORT_UCHAR(MODEM_CONTROL, (byte) 0x0B);
        WRITE_PORT_UCHAR(INT_ENABLE, (byte) 0x02);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean TurnToReceive(Object Context) {
        Line line = (Line) Context;
        Direction(line, false);
        WRITE_PORT_UCHAR(MODEM_CONTROL, (byte) 0x09);
        WRITE_PORT_UCHAR(INT_ENABLE, (byte) 0x01);
        return true;
    }

    @Role(KServiceRoutine.class)
    boolean LineIsr(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject device = (DeviceObject) ServiceContext;
        Line line = (Line) device.DeviceExtension;
        if (!line.Sending && !line.Receiving) {
            return false;
        }
        if (line.Sending) {
            WRITE_PORT_UCHAR(DATA, line.Data[line.Next++]);
            if (line.Next < line.Count) {
                return true;
            }
            line.Sending = false;
        } else {
            line.Data[line.Next++] = READ_PORT_UCHAR(DATA);
            if (line.Next < line.Count) {
                return true;
            }
        }
        WRITE_PORT_UCHAR(INT_ENABLE, (byte) 0x00);
        IoRequestDpc(device, device.CurrentIrp, null);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void LineDpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Line line = (Line) DeviceObject.DeviceExtension;
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = line.Next; // expect: SharedContextUnsynchronized
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_SERIAL_INCREMENT);
    }
}
