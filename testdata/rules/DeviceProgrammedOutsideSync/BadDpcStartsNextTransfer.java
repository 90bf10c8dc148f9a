package rules.deviceprogrammedoutsidesync.baddpcstartsnexttransfer;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The DPC writes the command register for the next transfer outside a SynchCritSection. */
final class BadDpcStartsNextTransfer {
    long Registers;

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        WRITE_REGISTER_ULONG(Registers + 0x04, 16); // expect: DeviceProgrammedOutsideSync
        WRITE_REGISTER_ULONG(Registers, 1); // expect: DeviceProgrammedOutsideSync
    }
}
