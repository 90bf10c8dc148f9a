package rules.isrrequestdpcnotlast.goodotherchannelwrittenafteritsdpc;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A dual-channel controller whose channels each carry their own DPC, initialized with the channel
 * as its context. The ISR services the primary channel (records its status, then queues its DPC)
 * and then the secondary one: the secondary's status is written after the primary's DPC was
 * queued, but that DPC only reads the primary channel.
 */
final class GoodOtherChannelWrittenAfterItsDpc {
    static final class Channel {
        final Kdpc Dpc = new Kdpc();
        long Base;
        int Status;
        Irp Current;
    }

    static final class Extension {
        final Channel Primary = new Channel();
        final Channel Secondary = new Channel();
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Extension ext = (Extension) Pdo.DeviceExtension;
        KeInitializeDpc(ext.Primary.Dpc, this::ChannelDpc, ext.Primary);
        KeInitializeDpc(ext.Secondary.Dpc, this::ChannelDpc, ext.Secondary);
        return STATUS_SUCCESS;
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        Extension ext = (Extension) ServiceContext;
        boolean mine = ServiceChannel(ext.Primary);
        mine |= ServiceChannel(ext.Secondary);
        return mine;
    }

    /** Reads and acknowledges one channel's status, then asks for its DPC. */
    private static boolean ServiceChannel(Channel channel) {
        int status = READ_PORT_UCHAR(channel.Base + 7);
        if ((status & 0x80) != 0) {
            return false;
        }
        channel.Status = status;
        KeInsertQueueDpc(channel.Dpc, null, null);
        return true;
    }

    @Role(KDeferredRoutine.class)
    void ChannelDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Channel channel = (Channel) DeferredContext;
        Irp irp = channel.Current;
        if (irp == null) {
            return;
        }
        channel.Current = null;
        // the status is read here without the interrupt held off (a race of its own, another rule's)
        irp.IoStatus.Status = (channel.Status & 0x01) != 0 ? STATUS_DEVICE_DATA_ERROR : STATUS_SUCCESS; // expect: SharedContextUnsynchronized
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
