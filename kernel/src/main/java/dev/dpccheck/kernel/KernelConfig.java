package dev.dpccheck.kernel;

/**
 * How one simulated machine is set up.
 *
 * @param cpus the number of virtual processors
 * @param faultRate the probability of a device fault per operation
 * @param threads the number of simulated user threads per device
 * @param requestsPerThread the requests each user thread issues
 * @param maxSteps the bound on scheduling steps and driver loop iterations per schedule
 * @param wallClockMillis the last-resort bound for a driver that blocks outside the kernel
 * @param sharedMemoryPoints whether accesses to shared fields and array elements are scheduling
 *     points (the default), or only {@code Wdm} calls are: the run without them is what the
 *     benchmark compares a controlled run against
 */
public record KernelConfig(int cpus, double faultRate, int threads, int requestsPerThread, long maxSteps,
        long wallClockMillis, boolean sharedMemoryPoints) {
    /** Two processors, no faults, three threads of eight requests, two million steps, one minute, shared-memory points. */
    public static KernelConfig defaults() {
        // the wall clock is the last resort for a driver blocked outside the kernel: far beyond the step bound
        return new KernelConfig(2, 0.0, 3, 8, 2_000_000, 60_000, true);
    }

    public KernelConfig withCpus(int n) {
        return new KernelConfig(n, faultRate, threads, requestsPerThread, maxSteps, wallClockMillis, sharedMemoryPoints);
    }

    public KernelConfig withFaultRate(double rate) {
        return new KernelConfig(cpus, rate, threads, requestsPerThread, maxSteps, wallClockMillis, sharedMemoryPoints);
    }

    public KernelConfig withWorkload(int threadCount, int requests) {
        return new KernelConfig(cpus, faultRate, threadCount, requests, maxSteps, wallClockMillis, sharedMemoryPoints);
    }

    public KernelConfig withWallClockMillis(long millis) {
        return new KernelConfig(cpus, faultRate, threads, requestsPerThread, maxSteps, millis, sharedMemoryPoints);
    }

    public KernelConfig withMaxSteps(long steps) {
        return new KernelConfig(cpus, faultRate, threads, requestsPerThread, steps, wallClockMillis, sharedMemoryPoints);
    }

    public KernelConfig withSharedMemoryPoints(boolean on) {
        return new KernelConfig(cpus, faultRate, threads, requestsPerThread, maxSteps, wallClockMillis, on);
    }
}
