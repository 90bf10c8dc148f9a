package dev.dpccheck.kernel.verifier;

/** AddDevice returns with DO_DEVICE_INITIALIZING still set. */
public final class DeviceInitializingNotCleared extends Monitor {
    public DeviceInitializingNotCleared() {
        super("DeviceInitializingNotCleared", Component.IO,
                "AddDevice returns without clearing DO_DEVICE_INITIALIZING.",
                "the device object AddDevice attaches, for DO_DEVICE_INITIALIZING when AddDevice returns");
    }

    public void addDeviceReturned() {
        report("'AddDevice' returned without clearing 'DO_DEVICE_INITIALIZING'.");
    }
}
