package corpus.ac97;

import dev.dpccheck.wdm.*;
import java.util.LinkedList;

/** One bus-master DMA engine of the ICH AC'97 controller (PCM out or PCM in) and its buffer descriptor list. */
final class Ac97Stream {
    Ac97Extension Owner;
    int RegisterBase;
    int GlobalStatusBit;
    boolean Capture;
    final Kdpc ServiceDpc = new Kdpc();

    // guarded by MapLock
    final KSpinLock MapLock = new KSpinLock();
    final LinkedList<Irp> Waiting = new LinkedList<>();
    final long[] BdlAddress = new long[Ac97Driver.BDL_ENTRIES];
    final int[] BdlSamples = new int[Ac97Driver.BDL_ENTRIES];
    final int[] BdlFlags = new int[Ac97Driver.BDL_ENTRIES];
    final Irp[] BdlOwner = new Irp[Ac97Driver.BDL_ENTRIES];
    final ScatterGatherList[] BdlList = new ScatterGatherList[Ac97Driver.BDL_ENTRIES];
    int Head;
    int Tail;
    int InUse;
    int MappingsPending;
    boolean Running;
    long BdlLogical;
}
