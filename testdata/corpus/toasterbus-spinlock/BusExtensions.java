package corpus.toasterbusspinlock;

import dev.dpccheck.wdm.*;
import java.util.ArrayList;
import java.util.List;

/** What the FDO and the child PDOs have in common at the start of their extensions. */
class CommonExtension {
    boolean IsFDO;
    DeviceObject Self;
    int DevicePnPState;
    int PreviousPnPState;
}

/** The bus FDO: the stack below it and the list of toasters plugged into the bus. */
final class FdoExtension extends CommonExtension {
    DeviceObject UnderlyingPDO;
    DeviceObject NextLowerDriver;
    final IoRemoveLock RemoveLock = new IoRemoveLock();
    /** Guards ListOfPDOs and NumPDOs. */
    final KSpinLock ListLock = new KSpinLock();
    final List<PdoExtension> ListOfPDOs = new ArrayList<>();
    int NumPDOs;
}

/** One toaster enumerated by the bus. */
final class PdoExtension extends CommonExtension {
    DeviceObject ParentFdo;
    String HardwareIDs;
    int SerialNo;
    /** Still plugged in (cleared by unplug). */
    boolean Present;
    /** The PnP manager has been told it is gone (it was left out of a bus relations answer). */
    boolean ReportedMissing;
}
