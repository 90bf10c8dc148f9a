package dev.dpccheck.kernel.verifier;

/**
 * A DPC programs a register of a device whose interrupt is connected, without holding the
 * interrupt spin lock, and the ISR uses that register (or the driver writes it in a
 * SynchCritSection elsewhere).
 */
public final class DeviceProgrammedOutsideSync extends Monitor {
    public DeviceProgrammedOutsideSync() {
        super("DeviceProgrammedOutsideSync", Component.HAL,
                "every register and port write from a DPC, against the locks held, for the registers the ISR uses or"
                        + " the driver writes in a SynchCritSection");
    }

    /** The DPC running now writes a register the ISR uses. */
    public void programmed(String role, String routine) {
        report(q(role) + " programs the device with " + q(routine) + " outside a SynchCritSection.");
    }

    /** A DPC wrote {@code register} unsynchronized, from {@code stack}; the ISR has now used it. */
    public void programmedIn(StackTraceElement[] stack, String register) {
        reportIn(stack, "A DPC writes the register at " + register
                + " outside a SynchCritSection, and the ISR uses that register.");
    }
}
