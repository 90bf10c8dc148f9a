package corpus.gameport;

import dev.dpccheck.wdm.*;
import java.util.ArrayDeque;

/** Device extension of the analog game port joystick driver. */
final class GameportExtension {
    DeviceObject Self;
    DeviceObject LowerDevice;
    long Port;
    int Speed;
    int AxisMask;
    int ButtonMask;
    boolean Polling;
    final IoRemoveLock RemoveLock = new IoRemoveLock();

    final KTimer PollTimer = new KTimer();
    final Kdpc PollDpc = new Kdpc();

    // the last report and the reads waiting for the next one, guarded by StateLock
    final KSpinLock StateLock = new KSpinLock();
    final int[] Axes = new int[4];
    int Buttons;
    int Reports;
    int BadReads;
    final ArrayDeque<Irp> PendingReads = new ArrayDeque<>();

    /** One measurement of the four one-shots. */
    static final class Sample {
        final int[] Axes = new int[4];
        int Buttons;
        boolean Valid;
    }
}
