package corpus.pciniccancelnolock;

import dev.dpccheck.wdm.*;
import java.util.ArrayDeque;

/** Device extension of the PCI network card driver (FDO_DATA). */
final class FdoData {
    DeviceObject Self;
    DeviceObject LowerDevice;
    long CsrPhysical;
    int CsrLength;
    long Csr;
    int Vector;
    int Irql;
    long Affinity;
    KInterrupt Interrupt;
    final IoRemoveLock RemoveLock = new IoRemoveLock();

    // send side, guarded by SendLock
    final KSpinLock SendLock = new KSpinLock();
    final ArrayDeque<Irp> BusySends = new ArrayDeque<>();
    final ArrayDeque<Irp> PendingWriteQueue = new ArrayDeque<>();
    int TxDoneSeen;

    // receive side, guarded by RcvLock
    final KSpinLock RcvLock = new KSpinLock();
    final ArrayDeque<Irp> PendingReadQueue = new ArrayDeque<>();
    int RcvDropped;
    boolean ReceiverStarted;

    // watchdog, only touched by the watchdog DPC and the PnP path
    final KTimer WatchDogTimer = new KTimer();
    final Kdpc WatchDogDpc = new Kdpc();
    boolean CheckForHang;
    int HangTicks;
    int ResetCount;

    // shared with the ISR
    boolean InterruptsMasked;
    int LastIntStatus;
}
