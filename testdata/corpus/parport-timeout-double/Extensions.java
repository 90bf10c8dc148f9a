package corpus.parporttimeoutdouble;

import dev.dpccheck.wdm.*;

/** What both device objects of the parallel port driver keep first in their extension. */
class CommonExtension {
    boolean IsFdo;
    int PnpState;
    static final int STOPPED = 0;
    static final int STARTED = 1;
    static final int REMOVED = 2;
}

/** The port's functional device object: owns the I/O ports. */
final class FdoExtension extends CommonExtension {
    DeviceObject Self;
    DeviceObject Pdo;
    DeviceObject LowerDevice;
    DeviceObject AttachedRawPdo;
    int PortNumber;
    long BaseAddress;
    int OpenCount;
    final IoRemoveLock RemoveLock = new IoRemoveLock();
}

/** The raw LPTx child that applications open; it prints through its parent's ports. */
final class PdoExtension extends CommonExtension {
    DeviceObject AttachedFdo;
    int PortNumber;
    int LptPort;
    int OpenCount;
}
