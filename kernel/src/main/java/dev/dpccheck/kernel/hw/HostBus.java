package dev.dpccheck.kernel.hw;

/**
 * What a simulated device sees of the machine it is plugged into: bus-master access to memory
 * through the DMA adapter's map registers, the virtual clock, and two seeded streams of random
 * decisions, apart from the scheduling strategy's: the device's own (latencies, fault injection)
 * and the workload's (request kinds, sizes, data), so that two strategies run the same workload and
 * every schedule replays.
 */
public interface HostBus {
    /** The virtual time in microseconds. */
    long now();

    /** A seeded choice in {@code [0, n)} of the device's behaviour: a latency, a fault. */
    int random(int n);

    /** A seeded choice in {@code [0, n)} of the workload: a request's kind, size, offset or data. */
    int workloadRandom(int n);

    /** True with probability {@code rate}, decided by a seeded choice. */
    default boolean chance(double rate) {
        return rate > 0 && random(1_000_000) < (int) Math.round(rate * 1_000_000);
    }

    /**
     * The device writes {@code length} bytes to the logical address (device-to-memory DMA).
     *
     * @return false when the address is not mapped by map registers: a bus error
     */
    boolean dmaWrite(SimDevice device, long logicalAddress, byte[] data, int offset, int length);

    /**
     * The device reads {@code length} bytes from the logical address (memory-to-device DMA).
     *
     * @return false when the address is not mapped by map registers: a bus error
     */
    boolean dmaRead(SimDevice device, long logicalAddress, byte[] data, int offset, int length);

    /** The kernel's monitor of a rule, for what the device model sees the driver do wrong. */
    <T extends dev.dpccheck.kernel.verifier.Monitor> T verifier(Class<T> monitor);
}
