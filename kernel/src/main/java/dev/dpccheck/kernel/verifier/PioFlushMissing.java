package dev.dpccheck.kernel.verifier;

/** Data read by PIO into an MDL's buffer that is never flushed. */
public final class PioFlushMissing extends Monitor {
    public PioFlushMissing() {
        super("PioFlushMissing", Component.MM,
                "buffers written through an MDL's system address, against KeFlushIoBuffers, when the IRP completes");
    }

    public void completed() {
        report("A read is completed with data written through the system address and not flushed with"
                + " 'KeFlushIoBuffers'.");
    }
}
