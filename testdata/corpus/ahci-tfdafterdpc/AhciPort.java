package corpus.ahcitfdafterdpc;

import dev.dpccheck.wdm.*;
import java.util.LinkedList;

/** Device extension of the AHCI disk driver: one HBA port with its attached disk. */
final class AhciPort {
    DeviceObject Self;
    DeviceObject Pdo;
    DeviceObject LowerDevice;
    long Abar;
    int AbarLength;
    int PortNumber;
    long PortRegs;
    KInterrupt Interrupt;
    DmaAdapter Adapter;
    final IoRemoveLock RemoveLock = new IoRemoveLock();
    int CommandSlots;
    long CommandListLogical;
    long ReceivedFisLogical;
    long SectorCount;

    // the request queue and the slot table, guarded by PortLock
    final KSpinLock PortLock = new KSpinLock();
    final LinkedList<Irp> PendingQueue = new LinkedList<>();
    final AhciSlot[] Slots = new AhciSlot[AhciDriver.MAX_SLOTS];
    int SlotsInUse;
    boolean Recovering;

    // written by the ISR; taken by the DPC and the IoTimer under the interrupt lock
    int IssuedMask;
    int CompletedMask;
    boolean TaskFileError;
    int CapturedTfd;
    int CapturedIs;
    final int[] SlotTicks = new int[AhciDriver.MAX_SLOTS];
    boolean TimedOut;

    /** One command slot: the request in it and its mapping. */
    static final class AhciSlot {
        Irp Irp;
        ScatterGatherList SgList;
        boolean Write;
        long Lba;
        int Length;
        int PrdCount;
        final long[] PrdAddress = new long[AhciDriver.MAX_PRDS];
        final int[] PrdLength = new int[AhciDriver.MAX_PRDS];
        int Retries;
    }
}
