package corpus.atapicd;

import dev.dpccheck.wdm.*;

/** The IDE channel both drives hang off: the controller object's extension. */
final class IdeChannel {
    DeviceObject Fdo;
    DeviceObject Pdo;
    DeviceObject LowerDevice;
    ControllerObject Controller;
    long CommandBlock;
    long ControlBlock;
    long BusMaster;
    KInterrupt Interrupt;
    DmaAdapter Adapter;
    int MapRegisterCount;
    long PrdTableLogical;
    final IoRemoveLock RemoveLock = new IoRemoveLock();
    final DeviceObject[] Units = new DeviceObject[2];

    // shared with the ISR: touched elsewhere only in SynchCritSections
    DeviceObject ActiveUnit;
    int Phase;
    final byte[] Cdb = new byte[12];
    boolean CommandPending;
    int CapturedIdeStatus;
    int CapturedDmaStatus;
    boolean ResetDone;
    int TimeoutTicks;
}
