package dev.dpccheck.kernel.verifier;

/** StartIo starting the next packet itself, without deferred StartIo. */
public final class StartIoRecursion extends Monitor {
    public StartIoRecursion() {
        super("StartIoRecursion", Component.IO,
                "every IoStartNextPacket inside StartIo, against IoSetStartIoAttributes");
    }

    public void recursed() {
        report("'IoStartNextPacket' is called inside StartIo without 'IoSetStartIoAttributes' setting DeferredStartIo.");
    }
}
