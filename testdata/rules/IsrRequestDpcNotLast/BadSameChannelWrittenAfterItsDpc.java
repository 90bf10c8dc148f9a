package rules.isrrequestdpcnotlast.badsamechannelwrittenafteritsdpc;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The dual-channel controller again, whose channel service queues the channel's DPC before it
 * records the status that DPC reads: the DPC may run on another processor and read the old one.
 */
final class BadSameChannelWrittenAfterItsDpc {
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
        boolean mine = ServiceChannel(ext.Primary); // expect: IsrRequestDpcNotLast
        mine |= ServiceChannel(ext.Secondary); // expect: IsrRequestDpcNotLast
        return mine;
    }

    /** Reads and acknowledges one channel's status, then asks for its DPC. */
    private static boolean ServiceChannel(Channel channel) {
        int status = READ_PORT_UCHAR(channel.Base + 7);
        if ((status & 0x80) != 0) {
            return false;
        }
        KeInsertQueueDpc(channel.Dpc, null, null);
        channel.Status = status;
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
        irp.IoStatus.Status = (channel.Status & 0x01) != 0 ? STATUS_DEVICE_DATA_ERROR : STATUS_SUCCESS; // expect: SharedContextUnsynchronized
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
