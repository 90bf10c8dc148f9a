package corpus.pscrloglogunchecked;

import dev.dpccheck.wdm.*;

/** Device extension of one PSCR smart card reader. */
final class PscrExtension {
    DeviceObject Self;
    DeviceObject PhysicalDeviceObject;
    DeviceObject AttachedDeviceObject;
    final IoRemoveLock RemoveLock = new IoRemoveLock();
    /** The reader's four I/O ports: data, command/status, size low, size high. */
    long IOBase;
    KInterrupt InterruptObject;
    boolean bSharedIRQ;
    final Kdpc DpcObject = new Kdpc();
    boolean Started;

    // shared with the ISR (touched elsewhere only through KeSynchronizeExecution)
    int PendingInterrupts;

    // the reader's state as the DPC and the IOCTLs see it
    boolean RequestPending;
    boolean RequestInterrupt;
    int FirmwareMajor;
    int FirmwareMinor;

    /** Guards CurrentState and NotificationIrp (the smart card library's OsData lock). */
    final KSpinLock OsDataLock = new KSpinLock();
    int CurrentState;
    Irp NotificationIrp;
}
