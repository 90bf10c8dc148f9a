package corpus.serfilter;

import dev.dpccheck.wdm.*;

/** The filter's device extension, above the serial port's FDO. */
final class FilterExtension {
    DeviceObject Self;
    DeviceObject UnderlyingPDO;
    DeviceObject TopOfStack;
    final IoRemoveLock RemoveLock = new IoRemoveLock();
    /** Serializes creates against enumeration (the sample's CreateSemaphore, a count of one). */
    final KEvent CreateSemaphore = new KEvent();
    boolean Started;
    boolean Removed;
    int DeviceState;
    String PortName;
    /** Set when the port powers back up: the attached device must be looked for again. */
    boolean EnumerationDirty;
}
