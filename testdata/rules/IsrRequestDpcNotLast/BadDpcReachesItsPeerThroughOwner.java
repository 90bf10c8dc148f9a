package rules.isrrequestdpcnotlast.baddpcreachesitspeerthroughowner;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A full-duplex link controller with an RX and a TX channel, each with its own DPC and the
 * channel as DPC context. The RX DPC also decides whether to resume a flow-controlled TX: it
 * reaches its peer through the channel's Owner back-pointer and reads Tx.Status. The ISR queues
 * the RX DPC and then records the TX status: that DPC may read the stale TX status.
 */
final class BadDpcReachesItsPeerThroughOwner {
    static final class Channel {
        final Kdpc Dpc = new Kdpc();
        Extension Owner;
        long Regs;
        int Status;
        Irp Current;
    }

    static final class Extension {
        final Channel Rx = new Channel();
        final Channel Tx = new Channel();
        long Regs;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Extension ext = (Extension) Pdo.DeviceExtension;
        ext.Rx.Owner = ext;
        ext.Tx.Owner = ext;
        KeInitializeDpc(ext.Rx.Dpc, this::RxDpc, ext.Rx);
        KeInitializeDpc(ext.Tx.Dpc, this::TxDpc, ext.Tx);
        return STATUS_SUCCESS;
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        Extension ext = (Extension) ServiceContext;
        int cause = READ_REGISTER_ULONG(ext.Regs);
        if (cause == 0) {
            return false;
        }
        if ((cause & 1) != 0) {
            ext.Rx.Status = READ_REGISTER_ULONG(ext.Rx.Regs);
            KeInsertQueueDpc(ext.Rx.Dpc, null, null);
        }
        if ((cause & 2) != 0) {
            ext.Tx.Status = READ_REGISTER_ULONG(ext.Tx.Regs); // expect: IsrRequestDpcNotLast
            KeInsertQueueDpc(ext.Tx.Dpc, null, null);
        }
        return true;
    }

    @Role(KDeferredRoutine.class)
    void RxDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Channel rx = (Channel) DeferredContext;
        Channel peer = rx.Owner.Tx;
        if ((peer.Status & 0x4) != 0) { // expect: SharedContextUnsynchronized
            WRITE_REGISTER_ULONG(peer.Regs + 8, 1); // XON: resume the transmitter
        }
        CompleteChannel(rx); // expect: SharedContextUnsynchronized
    }

    @Role(KDeferredRoutine.class)
    void TxDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        CompleteChannel((Channel) DeferredContext); // expect: SharedContextUnsynchronized
    }

    private static void CompleteChannel(Channel ch) {
        Irp irp = ch.Current;
        if (irp == null) {
            return;
        }
        ch.Current = null;
        irp.IoStatus.Status = (ch.Status & 0x1) != 0 ? STATUS_DEVICE_DATA_ERROR : STATUS_SUCCESS;
        irp.IoStatus.Information = 0;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
