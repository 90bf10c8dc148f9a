package dev.dpccheck.kernel.verifier;

/** IoRequestDpc for a device whose DpcForIsr was never registered. */
public final class DpcNotRegistered extends Monitor {
    public DpcNotRegistered() {
        super("DpcNotRegistered", Component.IO,
                "every IoRequestDpc, against the device's registered DpcForIsr");
    }

    public void requested(String device) {
        report("'IoRequestDpc' is called for '" + device + "', whose DpcForIsr was not registered with"
                + " 'IoInitializeDpcRequest'.");
    }
}
