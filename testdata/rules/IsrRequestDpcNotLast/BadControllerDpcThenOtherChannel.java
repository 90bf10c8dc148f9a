package rules.isrrequestdpcnotlast.badcontrollerdpcthenotherchannel;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The dual-channel controller where each channel's DPC gets the whole controller as its context
 * and serves both channels: once the primary's DPC is queued, the secondary's status that the ISR
 * then records may be read by it before it is written.
 */
final class BadControllerDpcThenOtherChannel {
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
        KeInitializeDpc(ext.Primary.Dpc, this::ChannelDpc, ext);
        KeInitializeDpc(ext.Secondary.Dpc, this::ChannelDpc, ext);
        return STATUS_SUCCESS;
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        Extension ext = (Extension) ServiceContext;
        boolean mine = ServiceChannel(ext.Primary);
        mine |= ServiceChannel(ext.Secondary); // expect: IsrRequestDpcNotLast
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
        Extension ext = (Extension) DeferredContext;
        Complete(ext.Primary); // expect: SharedContextUnsynchronized
        Complete(ext.Secondary); // expect: SharedContextUnsynchronized
    }

    private static void Complete(Channel channel) {
        Irp irp = channel.Current;
        if (irp == null) {
            return;
        }
        channel.Current = null;
        irp.IoStatus.Status = (channel.Status & 0x01) != 0 ? STATUS_DEVICE_DATA_ERROR : STATUS_SUCCESS;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
