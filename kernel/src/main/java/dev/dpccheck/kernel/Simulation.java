package dev.dpccheck.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a driver under many schedules: schedule i uses a random walk seeded with {@code seed + i}.
 * Each schedule is a fresh machine and a fresh copy of the driver's classes. In-process, for the
 * kernel's own tests; {@code dpccheck simulate} runs it in a child JVM ({@link IsolatedSimulation}).
 */
public final class Simulation {
    private Simulation() {
    }

    /**
     * What all schedules did together.
     *
     * @param schedules the schedules that ran to their end
     * @param violations the distinct violations, by key, in the order first seen
     * @param firstSeed the seed of the first schedule that showed each violation
     * @param stopped why the run ended before its last schedule, or null when every schedule ran
     */
    public record Report(List<ScheduleResult> schedules, Map<String, Violation> violations,
            Map<String, Long> firstSeed, String stopped) {
        /** User requests issued over all schedules. */
        public long irpsIssued() {
            return schedules.stream().mapToLong(ScheduleResult::irpsIssued).sum();
        }

        /** User requests completed over all schedules. */
        public long irpsCompleted() {
            return schedules.stream().mapToLong(ScheduleResult::irpsCompleted).sum();
        }

        /** Bytes the oracle verified over all schedules. */
        public long bytesVerified() {
            return schedules.stream().mapToLong(ScheduleResult::bytesVerified).sum();
        }
    }

    /** Keeps the first occurrence of a violation, and the seed of the schedule that showed it. */
    static void firstSeen(Map<String, Violation> violations, Map<String, Long> firstSeed, Violation v, long seed) {
        if (violations.putIfAbsent(v.key(), v) == null) {
            firstSeed.put(v.key(), seed);
        }
    }

    /** Told of each schedule as it starts and ends. */
    interface Listener {
        void starting(Kernel kernel, long seed);

        void finished(ScheduleResult result);
    }

    /** Runs {@code schedules} schedules of {@code image}. */
    public static Report run(DriverImage image, KernelConfig config, int schedules, long seed) {
        return run(image, config, schedules, seed, null);
    }

    static Report run(DriverImage image, KernelConfig config, int schedules, long seed, Listener listener) {
        List<ScheduleResult> results = new ArrayList<>();
        Map<String, Violation> violations = new LinkedHashMap<>();
        Map<String, Long> firstSeed = new LinkedHashMap<>();
        String stopped = null;
        for (int i = 0; i < schedules; i++) {
            long s = seed + i;
            Kernel kernel = new Kernel(image, config, new RandomWalkStrategy(s), s);
            if (listener != null) {
                listener.starting(kernel, s);
            }
            ScheduleResult r = kernel.run();
            results.add(r);
            for (Violation v : r.violations()) {
                firstSeen(violations, firstSeed, v, s);
            }
            if (listener != null) {
                listener.finished(r);
            }
            if (kernel.contextsStillRunning()) {
                // a driver thread that never came back cannot be stopped: the next schedule would share the machine
                stopped = "schedule " + s + " left driver code running outside the kernel's control";
                break;
            }
        }
        return new Report(results, violations, firstSeed, stopped);
    }
}
