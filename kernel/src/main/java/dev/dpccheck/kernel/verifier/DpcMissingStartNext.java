package dev.dpccheck.kernel.verifier;

/** A DPC completes the current IRP and never starts the next packet. */
public final class DpcMissingStartNext extends Monitor {
    public DpcMissingStartNext() {
        super("DpcMissingStartNext", Component.IO,
                "the return of every DPC that completed its device's current IRP in a driver with StartIo");
    }

    public void returned(String device) {
        report("The DPC completed the current IRP of '" + device + "' and returns without 'IoStartNextPacket'.");
    }
}
