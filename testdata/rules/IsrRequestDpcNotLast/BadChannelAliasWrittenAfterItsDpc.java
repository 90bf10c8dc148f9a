package rules.isrrequestdpcnotlast.badchannelaliaswrittenafteritsdpc;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A playback and a record engine, each with its own DPC. The ISR takes the playback engine into a
 * local, queues its DPC, and then records the byte count through a second name for the same engine,
 * which that DPC reads (a defect); the record engine's status, written afterwards, belongs to the
 * other DPC, which this ISR does not queue.
 */
final class BadChannelAliasWrittenAfterItsDpc {
    static final class Engine {
        final Kdpc Dpc = new Kdpc();
        long Regs;
        int Status;
        int Bytes;
        Irp Current;
    }

    static final class Extension {
        final Engine Playback = new Engine();
        final Engine Record = new Engine();
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Extension ext = (Extension) Pdo.DeviceExtension;
        KeInitializeDpc(ext.Playback.Dpc, this::EngineDpc, ext.Playback);
        KeInitializeDpc(ext.Record.Dpc, this::EngineDpc, ext.Record);
        return STATUS_SUCCESS;
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        Extension ext = (Extension) ServiceContext;
        Engine playing = ext.Playback;
        int status = READ_REGISTER_ULONG(playing.Regs);
        if ((status & 1) == 0) {
            return false;
        }
        playing.Status = status;
        KeInsertQueueDpc(playing.Dpc, null, null);
        Engine finished = playing;
        finished.Bytes = READ_REGISTER_ULONG(playing.Regs + 4); // expect: IsrRequestDpcNotLast
        ext.Record.Status = READ_REGISTER_ULONG(ext.Record.Regs);
        return true;
    }

    @Role(KDeferredRoutine.class)
    void EngineDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Engine engine = (Engine) DeferredContext;
        Irp irp = engine.Current;
        if (irp == null) {
            return;
        }
        engine.Current = null;
        irp.IoStatus.Status = (engine.Status & 0x10) != 0 ? STATUS_DEVICE_DATA_ERROR : STATUS_SUCCESS; // expect: SharedContextUnsynchronized
        irp.IoStatus.Information = engine.Bytes; // expect: SharedContextUnsynchronized
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
