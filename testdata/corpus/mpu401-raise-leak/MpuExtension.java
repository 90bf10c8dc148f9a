package corpus.mpu401raiseleak;

import dev.dpccheck.wdm.*;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** Device extension of the MPU-401 UART-mode MIDI driver. */
final class MpuExtension {
    DeviceObject Self;
    DeviceObject LowerDevice;
    long PortBase;
    int Vector;
    int Irql;
    long Affinity;
    boolean UseIrq;
    KInterrupt Interrupt;
    boolean MpuInitialized;

    // render side: the write queue and the retry timer, guarded by DpcSpinLock
    final KSpinLock DpcSpinLock = new KSpinLock();
    final ArrayDeque<Irp> WriteQueue = new ArrayDeque<>();
    int WriteOffset;
    int NumberOfRetries;
    boolean TimerQueued;
    final KTimer TimerEvent = new KTimer();
    final Kdpc TimerDpc = new Kdpc();

    // capture side: reads waiting for MIDI input, guarded by ReadLock
    final KSpinLock ReadLock = new KSpinLock();
    final ArrayDeque<Irp> ReadQueue = new ArrayDeque<>();
    final Kdpc ServiceDpc = new Kdpc();

    // shared with the ISR: the software input FIFO
    final byte[] InputBuffer = new byte[128];
    int InputHead;
    int InputTail;
    int InputOverruns;

    /** A SynchronizedMPUWrite call: what to send and how much went out. */
    static final class SyncWriteContext {
        MpuExtension Extension;
        byte[] Buffer;
        int Offset;
        int Length;
        int BytesWritten;
    }

    /** A drain of the input FIFO into the caller's reads. */
    static final class SyncReadContext {
        MpuExtension Extension;
        byte[] Data;
        int Count;
    }

    /** IRPs that leave the locks to be completed. */
    static final class Completions {
        final List<Irp> Irps = new ArrayList<>();
    }
}
