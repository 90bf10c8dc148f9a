package rules.deviceprogrammedoutsidesync.gooddpcprogramsinsynchcritsection;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The DPC programs the next transfer inside a SynchCritSection. */
final class GoodDpcProgramsInSynchCritSection {
    KInterrupt Interrupt;
    long Registers;

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSynchronizeExecution(Interrupt, this::Program, null);
    }

    @Role(KSynchronizeRoutine.class)
    boolean Program(Object SynchronizeContext) {
        WRITE_REGISTER_ULONG(Registers, 1);
        return true;
    }
}
