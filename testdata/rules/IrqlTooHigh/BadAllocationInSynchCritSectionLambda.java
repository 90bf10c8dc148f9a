package rules.irqltoohigh.badallocationinsynchcritsectionlambda;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** A SynchCritSection written as a lambda allocates pool, which is not allowed at DIRQL. */
final class BadAllocationInSynchCritSectionLambda {
    KInterrupt Interrupt;
    byte[] shadow;

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        KeSynchronizeExecution(Interrupt, context -> {
            shadow = ExAllocatePoolWithTag(NonPagedPool, 64, 0x20202020); // expect: IrqlTooHigh
            return true;
        }, null);
    }
}
