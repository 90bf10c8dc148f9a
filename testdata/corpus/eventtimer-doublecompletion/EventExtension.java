package corpus.eventtimerdoublecompletion;

import dev.dpccheck.wdm.*;
import java.util.ArrayList;
import java.util.List;

/** Device extension of the notification device: the list of armed records and the lock that guards it. */
final class EventExtension {
    DeviceObject Self;
    final KSpinLock QueueLock = new KSpinLock();
    /** Every record whose timer is armed, in arming order (the EventQueueHead list). */
    final List<NotifyRecord> EventQueue = new ArrayList<>();

    /** Per-open state kept in FileObject.FsContext. */
    static final class FileContext {
        final IoRemoveLock FileRundownLock = new IoRemoveLock();
    }

    /** One armed notification: a timer, its DPC, and either a pending IRP or an event to signal. */
    static final class NotifyRecord {
        int Type;
        FileObject Owner;
        EventExtension Extension;
        Irp PendingIrp;
        KEvent Event;
        final KTimer Timer = new KTimer();
        final Kdpc Dpc = new Kdpc();
        boolean CancelRoutineFreeMemory;
        boolean Linked;
    }
}
