package corpus.hdaudbuspagedunsolicited;

import dev.dpccheck.wdm.*;
import java.util.LinkedList;

/** Device extension of the HD Audio bus driver (the FDO of the controller). */
final class HdaExtension {
    DeviceObject Self;
    DeviceObject Pdo;
    DeviceObject LowerDevice;
    long RegBase;
    int RegLength;
    KInterrupt Interrupt;
    DmaAdapter Adapter;
    final IoRemoveLock RemoveLock = new IoRemoveLock();
    int CodecMask;

    // command and response rings in common memory; CorbWritePos and the verb queue under RingLock
    final KSpinLock RingLock = new KSpinLock();
    final int[] Corb = new int[HdaBus.RING_ENTRIES];
    final long[] Rirb = new long[HdaBus.RING_ENTRIES];
    long CorbLogical;
    long RirbLogical;
    int CorbWritePos;
    int RirbReadPos;
    final LinkedList<VerbRequest> Waiting = new LinkedList<>();
    final LinkedList<VerbRequest> InFlight = new LinkedList<>();

    // unsolicited responses (jack sense) go to their own DPC
    final Kdpc UnsolicitedDpc = new Kdpc();
    UnsolicitedState Unsolicited;

    // latched by the ISR, taken under the interrupt lock
    int RirbStatus;
    int CorbStatus;

    /** One IOCTL's verbs and the responses gathered so far. */
    static final class VerbRequest {
        Irp Irp;
        int[] Verbs;
        int Sent;
        int Received;
        final int[] Responses = new int[HdaBus.MAX_VERBS];
        int AgeTicks;
    }

    /** What the unsolicited-response DPC works on; resident, like every DPC context. */
    static final class UnsolicitedState {
        HdaExtension Owner;
        final int[] Pending = new int[16];
        int Count;
        int JackEvents;
    }
}
