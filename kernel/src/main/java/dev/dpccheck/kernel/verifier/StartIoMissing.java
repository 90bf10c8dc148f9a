package dev.dpccheck.kernel.verifier;

/** IoStartPacket in a driver with no StartIo routine. */
public final class StartIoMissing extends Monitor {
    public StartIoMissing() {
        super("StartIoMissing", Component.IO,
                "IoStartPacket is called by a driver that has no StartIo routine.",
                "every IoStartPacket, against the driver's StartIo");
    }

    public void started() {
        report("'IoStartPacket' is called by a driver that has no StartIo routine.");
    }
}
