package corpus.rtl8139;

import dev.dpccheck.wdm.*;
import java.util.LinkedList;

/** Device extension of the RTL8139 driver (the miniport's RTL_ADAPTER). */
final class RtlAdapter {
    DeviceObject Self;
    DeviceObject Pdo;
    DeviceObject LowerDevice;
    long IoBase;
    KInterrupt Interrupt;
    DmaAdapter Adapter;
    final IoRemoveLock RemoveLock = new IoRemoveLock();
    final byte[] PermanentAddress = new byte[6];
    int InterruptMask;

    // shared memory the chip bus-masters into and out of
    final byte[] ReceiveBuffer = new byte[Rtl8139.RECEIVE_BUFFER_SIZE + 16 + 1536];
    long ReceiveBufferLogical;
    final byte[][] TxBuffer = new byte[Rtl8139.TX_DESC_COUNT][Rtl8139.TX_BUFFER_SIZE];
    final long[] TxBufferLogical = new long[Rtl8139.TX_DESC_COUNT];

    // guarded by Lock
    final KSpinLock Lock = new KSpinLock();
    final LinkedList<Irp> ReadQueue = new LinkedList<>();
    int CurrentTxDesc;
    int DirtyTxDesc;
    boolean TxFull;
    int ReceiveOffset;
    long TransmitOk;
    long TransmitError;
    long ReceiveOk;
    long ReceiveError;
    long ReceiveDropped;

    // written by the ISR; taken by the DPC under the interrupt lock
    int InterruptPending;
    boolean LinkChange;
    boolean LinkUpLatched;

    // guarded by Lock; follows LinkUpLatched in the DPC
    boolean MediaConnected;
}
