package corpus.pcidrv;

import dev.dpccheck.wdm.*;
import java.util.LinkedList;

/** The device extension of the 8255x driver (the sample's FDO_DATA). */
final class FdoData {
    DeviceObject Self;
    DeviceObject Pdo;
    DeviceObject LowerDevice;
    long CSRAddress;
    int CSRLength;
    KInterrupt Interrupt;
    DmaAdapter Adapter;
    final IoRemoveLock RemoveLock = new IoRemoveLock();
    final byte[] PermanentAddress = new byte[6];
    int Flags;

    // transmit side, guarded by SendLock
    final KSpinLock SendLock = new KSpinLock();
    final LinkedList<Irp> SendQueue = new LinkedList<>();
    final Tcb[] Tcbs = new Tcb[PciDrv.NIC_MAX_TCBS];
    int CurrSendHead;
    int CurrSendTail;
    int nBusySend;
    boolean TransmitIdle = true;

    // receive side, guarded by RcvLock
    final KSpinLock RcvLock = new KSpinLock();
    final LinkedList<Irp> RecvQueue = new LinkedList<>();
    final Rfd[] Rfds = new Rfd[PciDrv.NIC_MAX_RFDS];
    int CurrRfd;
    long RfdListPhys;

    // watchdog: link detection, then hang detection
    final KTimer WatchDogTimer = new KTimer();
    final Kdpc WatchDogDpc = new Kdpc();
    boolean CheckForHang;
    boolean LinkDetectionWait;
    int LinkDetectionTicks;
    int SendStuckTicks;
    int HwErrCount;

    /** A transmit control block: the driver's half of one TCB in shared memory. */
    static final class Tcb {
        FdoData Owner;
        Irp Irp;
        ScatterGatherList SgList;
        int Length;
        int CbStatus;
        long HwTcbPhys;
        final long[] TbdAddress = new long[PciDrv.NIC_MAX_PHYS_BUF_COUNT];
        final int[] TbdCount = new int[PciDrv.NIC_MAX_PHYS_BUF_COUNT];
        int TbdNumber;
    }

    /** A receive frame descriptor in shared memory. */
    static final class Rfd {
        int RfdStatus;
        int ActualCount;
        final byte[] Data = new byte[PciDrv.NIC_MAX_PACKET_SIZE];
    }
}
