package dev.dpccheck.kernel.verifier;

/** A device object left undeleted at unload. */
public final class DeviceObjectLeak extends Monitor {
    public DeviceObjectLeak() {
        super("DeviceObjectLeak", Component.IO,
                "The driver unloads with device objects it did not delete.",
                "the driver object's device list at unload");
    }

    public void unloaded(String device) {
        reportRun("The driver was unloaded with device object '" + device + "' not deleted.");
    }
}
