package corpus.nicwatchstopatdpclevel;

import dev.dpccheck.wdm.*;
import java.util.ArrayDeque;

/** Device extension of the network adapter. */
final class NicExtension {
    static final int fMP_ADAPTER_LINK_DETECTION = 0x01;
    static final int fMP_ADAPTER_RESET_IN_PROGRESS = 0x02;
    static final int fMP_ADAPTER_NON_RECOVER_ERROR = 0x04;
    static final int fMP_ADAPTER_HARDWARE_ERROR = 0x08;
    static final int fMP_ADAPTER_REMOVE_IN_PROGRESS = 0x10;

    DeviceObject Self;
    DeviceObject LowerDevice;
    DeviceObject Pdo;
    final IoRemoveLock RemoveLock = new IoRemoveLock();
    long IoBase;
    KInterrupt Interrupt;
    final Kdpc InterruptDpc = new Kdpc();

    /** The watchdog: link detection after start, then hang detection every couple of seconds. */
    final KTimer WatchDogTimer = new KTimer();
    final Kdpc WatchDogDpc = new Kdpc();
    boolean CheckForHang;
    boolean bLinkDetectionWait;
    int LinkRetries;
    boolean TimerStopping;

    /** Lock guards Flags and the media state; SendLock the send lists; RcvLock the receive bookkeeping. Taken in that order. */
    final KSpinLock Lock = new KSpinLock();
    final KSpinLock SendLock = new KSpinLock();
    final KSpinLock RcvLock = new KSpinLock();
    int Flags;
    boolean MediaConnected;
    int HwErrCount;
    /** Sends that wait for link detection or a reset to finish. */
    final ArrayDeque<Irp> SendWaitList = new ArrayDeque<>();
    /** Sends the hardware owns, oldest first. */
    final ArrayDeque<Tcb> BusySends = new ArrayDeque<>();
    int nBusySend;
    int CurrNumRfd;
    int NumRfd;
    int RfdShrinkCount;

    // shared with the ISR
    int IntStatus;
    int TxDoneCount;

    /** A transmit control block: one send the hardware is working on. */
    static final class Tcb {
        Irp Irp;
        int Length;
        int Count;
    }
}
