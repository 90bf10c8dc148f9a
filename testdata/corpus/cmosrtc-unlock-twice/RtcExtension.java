package corpus.cmosrtcunlocktwice;

import dev.dpccheck.wdm.*;
import java.util.LinkedList;

/** Device extension of the CMOS real-time clock driver. */
final class RtcExtension {
    DeviceObject Self;
    DeviceObject LowerDevice;
    long IndexPort;
    long DataPort;
    int Vector;
    int Irql;
    long Affinity;
    KInterrupt Interrupt;
    final IoRemoveLock RemoveLock = new IoRemoveLock();

    // reads waiting for the next interrupt; guarded by ReadLock
    final KSpinLock ReadLock = new KSpinLock();
    final LinkedList<Irp> PendingReads = new LinkedList<>();

    // periodic-interrupt configuration, written only at PASSIVE_LEVEL in the IOCTL path
    int Frequency;
    boolean PeriodicOn;
    int CountAtLastTick;
    int LostIntervals;

    // shared with the ISR: interrupts since the last read (high bits) and the flags of the last one (low byte)
    int IrqData;
    int TotalInterrupts;
    int RegisterB;

    /** What a SynchCritSection reads or writes for its caller. */
    static final class CmosRequest {
        RtcExtension Extension;
        int Register;
        int Value;
        int Result;
        final byte[] Time = new byte[10];
    }
}
