package rules.deviceprogrammedoutsidesync.baddpcstartsnexttransfer;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The DPC writes the length and command registers for the next transfer outside a
 * SynchCritSection, while the ISR reads and acknowledges the same device.
 */
final class BadDpcStartsNextTransfer {
    long Registers;
    int Status;

    @Role(KServiceRoutine.class)
    boolean Isr(KInterrupt Interrupt, Object Context) {
        int status = READ_REGISTER_ULONG(Registers + 0x08);
        if (status == 0) {
            return false;
        }
        WRITE_REGISTER_ULONG(Registers + 0x08, status);
        Status = status;
        return true;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        WRITE_REGISTER_ULONG(Registers + 0x04, 16); // expect: DeviceProgrammedOutsideSync
        WRITE_REGISTER_ULONG(Registers, 1); // expect: DeviceProgrammedOutsideSync
    }
}
