package dev.dpccheck.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a driver under many schedules: schedule i uses a random walk seeded with {@code seed + i}.
 * Each schedule is a fresh machine and a fresh copy of the driver's classes.
 */
public final class Simulation {
    private Simulation() {
    }

    /** What all schedules did together. */
    public record Report(List<ScheduleResult> schedules, Map<String, Violation> violations,
            Map<String, Long> firstSeed) {
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

    /** Runs {@code schedules} schedules of {@code image}. */
    public static Report run(DriverImage image, KernelConfig config, int schedules, long seed) {
        List<ScheduleResult> results = new ArrayList<>();
        Map<String, Violation> violations = new LinkedHashMap<>();
        Map<String, Long> firstSeed = new LinkedHashMap<>();
        for (int i = 0; i < schedules; i++) {
            long s = seed + i;
            ScheduleResult r = new Kernel(image, config, new RandomWalkStrategy(s), s).run();
            results.add(r);
            for (Violation v : r.violations()) {
                if (violations.putIfAbsent(v.key(), v) == null) {
                    firstSeed.put(v.key(), s);
                }
            }
        }
        return new Report(results, violations, firstSeed);
    }
}
