package dev.dpccheck.kernel.hw;

/**
 * A simulated device on the simulated bus: its resources, its registers or ports, its interrupt
 * line, its internal events over virtual time, and its default workload.
 */
public abstract class SimDevice {
    /** The hardware ID the bus reports, e.g. {@code SIM\DMADISK}. */
    public final String hardwareId;
    /** The instance number among devices with that ID. */
    public final int instance;
    /** The machine the device is plugged into; set by {@link #attach}. */
    protected HostBus bus;

    protected SimDevice(String hardwareId, int instance) {
        this.hardwareId = hardwareId;
        this.instance = instance;
    }

    /** Plugs the device in. */
    public void attach(HostBus bus) {
        this.bus = bus;
    }

    /** The register or port window, the interrupt and the DMA needs of the device. */
    public abstract Resources resources();

    /** A read of {@code width} bytes (1, 2 or 4) at {@code offset} in the register or port window. */
    public abstract int read(int offset, int width);

    /** A write of {@code width} bytes at {@code offset} in the register or port window. */
    public abstract void write(int offset, int width, int value);

    /** Whether the interrupt line is asserted now. */
    public abstract boolean interruptAsserted();

    /** Called when the interrupt was delivered to a processor: ends a spurious pulse. */
    public void interruptDelivered() {
    }

    /** The virtual time of the device's next internal event, or Long.MAX_VALUE. */
    public abstract long nextEventTime();

    /**
     * Whether the device has an event under way that may happen now, before its time: an operation
     * that ends sooner than the device's usual latency. The strategy may choose it at any point, so
     * an interrupt can land in any window. Events of the line or of fault injection (a peer's
     * character, a spurious pulse) keep their time.
     */
    public boolean mayHurry() {
        return false;
    }

    /** Brings the event that {@link #mayHurry} tells of forward to {@code now}. */
    public void hurry(long now) {
    }

    /** Carries out the internal events due at {@code now}. */
    public abstract void step(long now);

    /** The default workload for this device. */
    public abstract Workload workload(WorkloadSettings settings);

    /** A short name, e.g. {@code dmadisk0}. */
    public abstract String name();

    /**
     * The resources of a device.
     *
     * @param base the first physical register address or port
     * @param length the window length in bytes
     * @param ports true for an I/O port window, false for memory-mapped registers
     * @param vector the interrupt vector
     * @param level the DIRQL
     * @param latched true for an edge-triggered interrupt
     * @param busMaster true when the device does bus-master DMA
     * @param maximumTransfer the largest DMA transfer in one operation, in bytes
     */
    public record Resources(long base, int length, boolean ports, int vector, int level, boolean latched,
            boolean busMaster, int maximumTransfer) {
    }

    /**
     * How the workload and the fault injection are set.
     *
     * @param threads the number of user threads
     * @param requestsPerThread how many requests each thread issues
     * @param faultRate the probability of a fault per device operation
     */
    public record WorkloadSettings(int threads, int requestsPerThread, double faultRate) {
    }
}
