package sample.seeded.waitinreceivedpc;

import dev.dpccheck.wdm.*;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The device extension of the serial driver: nonpaged, one per device object. */
final class UartExtension {
    // device-lifetime state, set in AddDevice and IRP_MN_START_DEVICE
    DeviceObject Self;
    DeviceObject LowerDevice;
    DeviceObject Pdo;
    long Port;
    int BaudRate;
    KInterrupt Interrupt;
    final Kdpc ReceiveDpc = new Kdpc();
    final IoRemoveLock RemoveLock = new IoRemoveLock();

    // shared with the ISR: touched only at DIRQL under the interrupt spin lock
    int Ier;
    byte[] TxBuffer;
    int TxOffset;
    int TxLength;
    boolean TxDone;
    final byte[] Ring = new byte[1024];
    int RingHead;
    int RingCount;
    boolean ReceiverThrottled;
    int LineErrors;
    /** Reads waiting for data, oldest first; the queue itself is guarded by the interrupt spin lock. */
    final ArrayDeque<ReadRequest> PendingReads = new ArrayDeque<>();

    /** One read IRP on the driver's read queue and how far it is filled. */
    static final class ReadRequest {
        Irp Irp;
        byte[] Buffer;
        int Length;
        int Done;
    }

    /** What the receive DPC takes out of the SynchCritSection: the reads it may complete. */
    static final class ReceiveBatch {
        UartExtension Extension;
        final List<ReadRequest> Completed = new ArrayList<>();
    }

    /** What StartIo hands into the SynchCritSection that starts a transmission. */
    static final class TransmitRequest {
        UartExtension Extension;
        byte[] Buffer;
        int Length;
    }

    /** What the transmit DPC reads out of the SynchCritSection. */
    static final class TransmitStatus {
        UartExtension Extension;
        boolean Done;
        int Length;
    }
}
