package corpus.lunwatchunsyncpeek;

import dev.dpccheck.wdm.*;
import java.util.ArrayDeque;

/** What the adapter FDO and the logical-unit device objects share. */
class PortCommon {
    boolean IsAdapter;
    DeviceObject Self;
}

/** The host adapter: registers, interrupt, the one completion DPC, and its logical units. */
final class AdapterExtension extends PortCommon {
    static final int MAX_TARGETS = 8;
    DeviceObject LowerDevice;
    DeviceObject Pdo;
    final IoRemoveLock RemoveLock = new IoRemoveLock();
    long Registers;
    int RegisterLength;
    KInterrupt Interrupt;
    /** Guards every LUN's ActiveIrp, BusyIrp, PendingQueue and RequestTimeout. */
    final KSpinLock SpinLock = new KSpinLock();
    /** One DPC for the whole adapter: it finishes requests of every logical unit. */
    final Kdpc CompletionDpc = new Kdpc();
    final LunExtension[] Luns = new LunExtension[MAX_TARGETS];

    // the interrupt data: written by the ISR, read and cleared only through KeSynchronizeExecution
    int CompletedMask;
    final int[] CompletedStatus = new int[MAX_TARGETS];
    final int[] CompletedTag = new int[MAX_TARGETS];
    final int[] TargetTag = new int[MAX_TARGETS];
}

/** One logical unit (a disk behind the adapter), with its own device object. */
final class LunExtension extends PortCommon {
    AdapterExtension Adapter;
    int TargetId;
    /** The request the target is working on, or null; its tag tells its completion from a stale one. */
    Irp ActiveIrp;
    int RequestTag;
    /** Seconds left for ActiveIrp; -1 when idle. */
    int RequestTimeout = -1;
    /** A request the target answered BUSY: the timer sends it again. */
    Irp BusyIrp;
    final ArrayDeque<Irp> PendingQueue = new ArrayDeque<>();
    long Sectors;
}
