package dev.dpccheck.kernel.verifier;

/** The driver does not load: DriverEntry or AddDevice fails. */
public final class DriverLoadFailed extends Monitor {
    public DriverLoadFailed() {
        super("DriverLoadFailed", Component.RUN,
                "DriverEntry or AddDevice fails, or the driver has no AddDevice.",
                "the status DriverEntry and AddDevice return, and the AddDevice entry point");
    }

    public void entryFailed(int status) {
        report("'DriverEntry' returned 0x" + Integer.toHexString(status) + ".");
    }

    public void noAddDevice() {
        report("'DriverEntry' did not set 'DriverObject.DriverExtension.AddDevice'.");
    }

    public void addDeviceFailed(String device, int status, boolean success) {
        report("'AddDevice' for '" + device + "' returned 0x" + Integer.toHexString(status)
                + (success ? " without attaching a device object." : "."));
    }
}
