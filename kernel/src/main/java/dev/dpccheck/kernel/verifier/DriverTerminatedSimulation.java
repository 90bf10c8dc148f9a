package dev.dpccheck.kernel.verifier;

/**
 * Driver code ended the simulation itself (it exited, halted or exhausted the child JVM). The
 * child JVM records it from its shutdown hook, or the parent when the child is gone; neither can
 * go through a kernel, so this monitor only words the violation.
 */
public final class DriverTerminatedSimulation extends Monitor {
    public static final String ID = "DriverTerminatedSimulation";

    public DriverTerminatedSimulation() {
        super(ID, Component.RUN,
                "Driver code ended the simulation: it exited, exhausted the memory or outlived the deadline.",
                "the child JVM that runs the driver: driver code that ends the process, exhausts its memory or outlives its deadline");
    }

    /** What the child's shutdown hook says when driver code ended its process. */
    public static String processEnded() {
        return "Driver code ended the simulated machine's process.";
    }

    /** What the parent says when the child ended without a word: {@code how} it ended. */
    public static String machineEnded(String how) {
        return Character.toUpperCase(how.charAt(0)) + how.substring(1) + ".";
    }
}
