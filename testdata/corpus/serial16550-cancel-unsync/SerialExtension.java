package corpus.serial16550cancelunsync;

import dev.dpccheck.wdm.*;
import java.util.LinkedList;

/** Per-port state of the 16550 driver. Nonpaged; one per functional device object. */
final class SerialExtension {
    // set in AddDevice / START_DEVICE, read everywhere afterwards
    DeviceObject Self;
    DeviceObject LowerDevice;
    DeviceObject Pdo;
    long Controller;
    int Vector;
    int Irql;
    long Affinity;
    KInterrupt Interrupt;
    boolean Started;
    final IoRemoveLock RemoveLock = new IoRemoveLock();

    // the read and write queues; guarded by the cancel spin lock, as the port driver does
    final LinkedList<Irp> ReadQueue = new LinkedList<>();
    final LinkedList<Irp> WriteQueue = new LinkedList<>();
    Irp CurrentReadIrp;
    Irp CurrentWriteIrp;
    int ReadTotalTimeoutMs;

    // deferred work the ISR and the timers queue
    final Kdpc CompleteWriteDpc = new Kdpc();
    final Kdpc CompleteReadDpc = new Kdpc();
    final Kdpc TotalReadTimeoutDpc = new Kdpc();
    final Kdpc CommErrorDpc = new Kdpc();
    final KTimer ReadRequestTotalTimer = new KTimer();

    // shared with SerialIsr: touched only at DIRQL under the interrupt spin lock
    int Ier;
    boolean HoldingEmpty;
    byte[] WriteCurrentChar;
    int WriteOffset;
    int WriteLength;
    int WriteTotal;
    final byte[] InterruptReadBuffer = new byte[512];
    int FirstReadableChar;
    int CharsInInterruptBuffer;
    byte[] IsrReadBuffer;
    int IsrReadWanted;
    int IsrReadDone;
    int ErrorWord;
    int ReceivedCount;
    int TransmittedCount;
    int BufferOverrunCount;

    /** What a SynchCritSection hands back to its caller. */
    static final class SyncResult {
        SerialExtension Extension;
        byte[] Buffer;
        int Wanted;
        int Copied;
        boolean Finished;
        int Errors;
    }
}
