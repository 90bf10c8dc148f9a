package dev.dpccheck.kernel.verifier;

/** A new command written to the simulated disk while it is still transferring. */
public final class DeviceProgrammedWhileBusy extends Monitor {
    public DeviceProgrammedWhileBusy() {
        super("DeviceProgrammedWhileBusy", Component.DEVICE,
                "A command is written to the disk while a transfer is under way.",
                "the simulated disk's command register: a command written while a transfer is under way");
    }

    public void programmed(String device) {
        report(q(device) + " was given a command while an operation was in progress.");
    }
}
