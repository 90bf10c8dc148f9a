package corpus.cancelqmarkirppending;

import dev.dpccheck.wdm.*;
import java.util.LinkedList;

/** Device extension of the polled data-acquisition device. */
final class CancelExtension {
    DeviceObject Self;
    /** Guards PendingIrpQueue and the poll bookkeeping below. */
    final KSpinLock QueueLock = new KSpinLock();
    /** The cancel-safe queue: IRPs waiting to be polled, oldest first. */
    final LinkedList<Irp> PendingIrpQueue = new LinkedList<>();

    /** Replaces the sample's polling thread: a timer whose DPC services the queue. */
    final KTimer PollTimer = new KTimer();
    final Kdpc PollDpc = new Kdpc();
    boolean PollArmed;
    boolean ShouldStop;

    /** Virtual time of the last successful read and the settling interval of the device, in ticks. */
    long Now;
    long LastPollTime;
    long PollingInterval;
    int NextSample;

    /** Per-open state kept in FileObject.FsContext. */
    static final class FileContext {
        final IoRemoveLock FileRundownLock = new IoRemoveLock();
    }
}
