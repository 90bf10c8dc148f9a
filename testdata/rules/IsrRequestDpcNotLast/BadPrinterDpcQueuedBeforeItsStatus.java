package rules.isrrequestdpcnotlast.badprinterdpcqueuedbeforeitsstatus;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A multifunction card, a UART and a printer port behind one interrupt, with a CustomDpc for each
 * function; both DPCs are handed the whole card as their context. The ISR services the UART and
 * queues its DPC, then services the printer port, but queues the printer's DPC before it records
 * the printer's status and byte index, which that DPC reads.
 */
final class BadPrinterDpcQueuedBeforeItsStatus {
    static final int CAUSE_UART = 0x01;
    static final int CAUSE_LPT = 0x02;

    static final class Card {
        KInterrupt Interrupt;
        int Base;
        final Kdpc SerialDpc = new Kdpc();
        final Kdpc PrinterDpc = new Kdpc();
        final byte[] Ring = new byte[256];
        int RingHead;
        int PrinterStatus;
        int PrinterIndex;
        Irp SerialRead;
        Irp PrinterWrite;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Card card = (Card) Pdo.DeviceExtension;
        KeInitializeDpc(card.SerialDpc, this::SerialDpcRoutine, card);
        KeInitializeDpc(card.PrinterDpc, this::PrinterDpcRoutine, card);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::CardIsr, card, null, 7, 7, 7, LevelSensitive, true, 1, false);
        card.Interrupt = interrupt.value;
        return status;
    }

    @Role(KServiceRoutine.class)
    boolean CardIsr(KInterrupt Interrupt, Object ServiceContext) {
        Card card = (Card) ServiceContext;
        int cause = READ_PORT_UCHAR(card.Base) & 0x03;
        if (cause == 0) {
            return false;
        }
        if ((cause & CAUSE_UART) != 0) {
            card.Ring[card.RingHead] = READ_PORT_UCHAR(card.Base + 8);
            card.RingHead = (card.RingHead + 1) % card.Ring.length;
            KeInsertQueueDpc(card.SerialDpc, null, null);
        }
        if ((cause & CAUSE_LPT) != 0) {
            KeInsertQueueDpc(card.PrinterDpc, null, null);
            card.PrinterStatus = READ_PORT_UCHAR(card.Base + 0x11); // expect: IsrRequestDpcNotLast
            card.PrinterIndex++; // expect: IsrRequestDpcNotLast
        }
        return true;
    }

    @Role(KDeferredRoutine.class)
    void SerialDpcRoutine(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Card card = (Card) DeferredContext;
        Irp read = card.SerialRead;
        if (read == null) {
            return;
        }
        card.SerialRead = null;
        read.IoStatus.Status = STATUS_SUCCESS;
        read.IoStatus.Information = 1;
        IoCompleteRequest(read, IO_SERIAL_INCREMENT);
    }

    @Role(KDeferredRoutine.class)
    void PrinterDpcRoutine(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Card card = (Card) DeferredContext;
        Irp write = card.PrinterWrite;
        if (write == null) {
            return;
        }
        card.PrinterWrite = null;
        // read without the interrupt held off: a race of its own, another rule's
        write.IoStatus.Status = (card.PrinterStatus & 0x08) != 0 ? STATUS_DEVICE_DATA_ERROR : STATUS_SUCCESS; // expect: SharedContextUnsynchronized
        write.IoStatus.Information = card.PrinterIndex; // expect: SharedContextUnsynchronized
        IoCompleteRequest(write, IO_NO_INCREMENT);
    }
}
