package rules.deviceprogrammedoutsidesync.baddpcstartsnexttransfer;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The DPC writes the length and command registers for the next transfer outside a
 * SynchCritSection, while the ISR reads the residual count from the same length register to learn
 * how much of the last transfer was done: an interrupt on another CPU in between reads the new length.
 */
final class BadDpcStartsNextTransfer {
    long Registers;
    int Status;
    int Residual;

    @Role(KServiceRoutine.class)
    boolean Isr(KInterrupt Interrupt, Object Context) {
        int status = READ_REGISTER_ULONG(Registers + 0x08);
        if (status == 0) {
            return false;
        }
        Residual = READ_REGISTER_ULONG(Registers + 0x04);
        WRITE_REGISTER_ULONG(Registers + 0x08, status);
        Status = status;
        return true;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        WRITE_REGISTER_ULONG(Registers + 0x04, 16); // expect: DeviceProgrammedOutsideSync
        // the command register: neither the ISR nor a SynchCritSection touches it, nothing to meet there
        WRITE_REGISTER_ULONG(Registers, 1);
    }
}
