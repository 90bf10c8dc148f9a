package corpus.pciidexwrapperleak;

import dev.dpccheck.wdm.*;
import java.util.ArrayList;
import java.util.List;

/** What the controller FDO and the channel PDOs share. */
class CommonExtension {
    boolean IsFDO;
    DeviceObject Self;
    final IoRemoveLock RemoveLock = new IoRemoveLock();
}

/** One PCI base address register as the start resources describe it. */
final class AccessRange {
    static final int RANGE_IS_VALID = 0x01;
    static final int RANGE_IS_MEMORY = 0x02;
    static final int RANGE_IS_MAPPED = 0x04;
    int Flags;
    long IoBase;
    int Length;
}

/** The ATA controller behind the FDO: PCI identity, BARs, and what the start found. */
final class AtaController {
    static final int CTRL_FLAG_PCI_IDE = 0x01;
    static final int CTRL_FLAG_PIO_ONLY = 0x02;
    static final int CTRL_FLAG_IN_LEGACY_MODE = 0x04;
    static final int CTRL_FLAG_IS_SIMPLEX = 0x08;
    static final int CTRL_FLAG_HAS_START = 0x10;
    int Flags;
    int MaxChannels;
    int VendorID;
    int DeviceID;
    int Command;
    int ProgIf;
    int SubClass;
    int BaseClass;
    int BusNumber;
    int SlotNumber;
    final AccessRange[] AccessRange = {new AccessRange(), new AccessRange(), new AccessRange(), new AccessRange(),
            new AccessRange(), new AccessRange()};
    int InterruptType;
    int InterruptVector;
    /** Serializes the miniport's start/stop and timing programming. */
    final KSpinLock Lock = new KSpinLock();
    /** Simplex controllers let only one channel use DMA at a time. */
    ControllerObject HwSyncObject;
    int[] ChanDataBlock;
}

/** The controller FDO. */
final class FdoExtension extends CommonExtension {
    DeviceObject LowerDeviceObject;
    DeviceObject PhysicalDeviceObject;
    int ControllerNumber;
    final AtaController Controller = new AtaController();
    /** Guards PdoList (the sample's fast mutex; a synchronization event here). */
    final KEvent PdoListSyncMutex = new KEvent();
    final List<PdoExtension> PdoList = new ArrayList<>();
}

/** One channel (primary or secondary) as a child PDO. */
final class PdoExtension extends CommonExtension {
    static final int PDO_FLAG_NOT_PRESENT = 0x01;
    static final int PDO_FLAG_REPORTED_MISSING = 0x02;
    FdoExtension FdoExt;
    int Channel;
    int Flags;
    boolean Started;
}
