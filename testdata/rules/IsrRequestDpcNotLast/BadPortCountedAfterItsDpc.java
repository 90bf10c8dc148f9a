package rules.isrrequestdpcnotlast.badportcountedafteritsdpc;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * An eight-port serial card with one interrupt line and a DPC per port, each initialized with its
 * port as the context. The ISR walks the ports in order; for each one that interrupted it records
 * the line status and queues that port's DPC, and only then drains the receive buffer and counts
 * the bytes: the count of the port whose DPC may already run on another processor.
 */
final class BadPortCountedAfterItsDpc {
    static final int PORTS = 8;

    static final class Port {
        final Kdpc Dpc = new Kdpc();
        int Base;
        int LineStatus;
        int Received;
        Irp PendingRead;
    }

    static final class CardExtension {
        final Port[] Ports = new Port[PORTS];
        int PortCount;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Out<DeviceObject> fdo = new Out<>();
        int status = IoCreateDevice(DriverObject, CardExtension.class, null, FILE_DEVICE_SERIAL_PORT, 0, false, fdo);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        CardExtension card = (CardExtension) fdo.value.DeviceExtension;
        card.PortCount = PORTS;
        for (int i = 0; i < card.PortCount; i++) {
            card.Ports[i] = new Port();
            card.Ports[i].Base = 0x2f8 + 8 * i;
            KeInitializeDpc(card.Ports[i].Dpc, this::PortDpc, card.Ports[i]);
        }
        return STATUS_SUCCESS;
    }

    @Role(KServiceRoutine.class)
    boolean CardIsr(KInterrupt Interrupt, Object ServiceContext) {
        CardExtension card = (CardExtension) ServiceContext;
        boolean claimed = false;
        for (int index = 0; index < card.PortCount; index++) {
            Port port = card.Ports[index];
            int iir = READ_PORT_UCHAR(port.Base + 2);
            if ((iir & 0x01) != 0) {
                continue;
            }
            port.LineStatus = READ_PORT_UCHAR(port.Base + 5);
            KeInsertQueueDpc(port.Dpc, null, null);
            while ((READ_PORT_UCHAR(port.Base + 5) & 0x01) != 0) {
                READ_PORT_UCHAR(port.Base);
                port.Received++; // expect: IsrRequestDpcNotLast
            }
            claimed = true;
        }
        return claimed;
    }

    @Role(KDeferredRoutine.class)
    void PortDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Port port = (Port) DeferredContext;
        Irp irp = port.PendingRead;
        if (irp == null) {
            return;
        }
        port.PendingRead = null;
        // read without the interrupt held off: a race of its own, another rule's
        irp.IoStatus.Status = (port.LineStatus & 0x1e) != 0 ? STATUS_DEVICE_DATA_ERROR : STATUS_SUCCESS; // expect: SharedContextUnsynchronized
        irp.IoStatus.Information = port.Received; // expect: SharedContextUnsynchronized
        IoCompleteRequest(irp, IO_SERIAL_INCREMENT);
    }
}
