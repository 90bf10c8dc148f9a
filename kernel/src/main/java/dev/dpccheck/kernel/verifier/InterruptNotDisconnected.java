package dev.dpccheck.kernel.verifier;

/** An interrupt left connected at unload. */
public final class InterruptNotDisconnected extends Monitor {
    public InterruptNotDisconnected() {
        super("InterruptNotDisconnected", Component.IO,
                "The driver unloads with an interrupt still connected.",
                "the interrupt objects at unload");
    }

    public void unloaded() {
        report("The driver was unloaded with its interrupt still connected.");
    }
}
