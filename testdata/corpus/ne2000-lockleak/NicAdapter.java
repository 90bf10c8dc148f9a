package corpus.ne2000lockleak;

import dev.dpccheck.wdm.*;
import java.util.LinkedList;

/** The device extension of the NE2000 driver (the miniport's NIC_ADAPTER). */
final class NicAdapter {
    DeviceObject Self;
    DeviceObject Pdo;
    DeviceObject LowerDevice;
    long IOBase;
    KInterrupt Interrupt;
    final IoRemoveLock RemoveLock = new IoRemoveLock();
    boolean WordMode;
    final byte[] StationAddress = new byte[6];
    final byte[] MulticastAddressMask = new byte[8];
    int InterruptMask;

    // everything below is guarded by AdapterLock (the miniport's serialization)
    final KSpinLock AdapterLock = new KSpinLock();
    final LinkedList<Irp> TXQueue = new LinkedList<>();
    final LinkedList<Irp> RXWaiters = new LinkedList<>();
    int PageStart;
    int PageStop;
    int TXStart;
    int TXCount;
    int TXNext;
    int TXCurrent = -1;
    int TXFree;
    final int[] TXSize = new int[Ne2000.TX_BUFFERS];
    int NextPacket;
    int CurrentPage;
    int InterruptStatus;
    boolean BufferOverflow;
    boolean ReceiveError;
    boolean TransmitError;
    boolean TransmitPending;
    int TxTimeoutTicks;
    final byte[] PacketBuffer = new byte[Ne2000.MAX_FRAME];

    // statistics
    long FrameAlignmentErrors;
    long CrcErrors;
    long MissedPackets;
    long DroppedFrames;
}
