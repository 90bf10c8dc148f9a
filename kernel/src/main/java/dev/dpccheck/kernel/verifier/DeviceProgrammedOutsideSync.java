package dev.dpccheck.kernel.verifier;

/** A DPC programs a device whose interrupt is connected without holding the interrupt spin lock. */
public final class DeviceProgrammedOutsideSync extends Monitor {
    public DeviceProgrammedOutsideSync() {
        super("DeviceProgrammedOutsideSync", Component.HAL,
                "every register and port write from a DPC, against the locks held, for devices whose interrupt is connected");
    }

    public void programmed(String role, String routine) {
        report(q(role) + " programs the device with " + q(routine) + " outside a SynchCritSection.");
    }
}
