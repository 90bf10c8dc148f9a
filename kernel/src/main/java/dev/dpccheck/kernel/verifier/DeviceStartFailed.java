package dev.dpccheck.kernel.verifier;

/** The driver fails IRP_MN_START_DEVICE for a device the kernel gave it. */
public final class DeviceStartFailed extends Monitor {
    public DeviceStartFailed() {
        super("DeviceStartFailed", Component.IO,
                "IRP_MN_START_DEVICE fails.",
                "the status of IRP_MN_START_DEVICE");
    }

    public void failed(String device, int status) {
        report("'IRP_MN_START_DEVICE' for '" + device + "' completed with 0x" + Integer.toHexString(status) + ".");
    }
}
