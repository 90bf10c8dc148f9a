package corpus.uhciunsyncstatus;

import dev.dpccheck.wdm.*;
import java.util.LinkedList;

/** Device extension of the UHCI host controller driver. */
final class UhciExtension {
    DeviceObject Self;
    DeviceObject Pdo;
    DeviceObject LowerDevice;
    long BaseRegister;
    KInterrupt Interrupt;
    DmaAdapter Adapter;
    final IoRemoveLock RemoveLock = new IoRemoveLock();
    long FrameListLogical;
    int StatusMask;

    // latched by the ISR, taken by the DPC under the interrupt lock
    int HcStatus;
    int HcScheduleError;

    // the asynchronous (bulk/control) schedule, guarded by ScheduleLock
    final KSpinLock ScheduleLock = new KSpinLock();
    final LinkedList<UhciTransfer> ActiveTransfers = new LinkedList<>();
    final UhciTd[] TdPool = new UhciTd[UhciDriver.MAX_TDS];
    int AllocTdCounter;
    boolean DataToggle;

    // root hub polling
    final KTimer RootHubTimer = new KTimer();
    final Kdpc RootHubDpc = new Kdpc();
    final int[] PortChange = new int[2];
}
