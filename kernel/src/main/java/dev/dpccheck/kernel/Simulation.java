package dev.dpccheck.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a driver under many schedules, explored by a strategy ({@link Exploration}): schedule i is
 * seeded with {@code seed + i}. Each schedule is a fresh machine and a fresh copy of the driver's
 * classes. In-process, for the
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
     * @param trace the trace of the first schedule with a violation ({@link Trace}), when one was asked for
     * @param ended why fewer schedules ran than were asked for, in the normal course (a search that
     *     ran out of schedules, a time budget spent), or null
     * @param coverage which of the driver's methods the schedules entered
     * @param lines how often each probed line ran ({@link DriverImage#compile(java.nio.file.Path, String,
     *     java.util.function.Predicate, Goal)}), by file and line
     */
    public record Report(List<ScheduleResult> schedules, Map<String, Violation> violations,
            Map<String, Long> firstSeed, String stopped, String trace, String ended, List<DriverImage.Coverage> coverage,
            List<DriverImage.LineCoverage> lines) {
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
        return run(image, config, Exploration.random(), schedules, seed, Long.MAX_VALUE, null, false, null, null, null);
    }

    /** Runs at most {@code schedules} schedules of {@code image}, explored by {@code exploration}. */
    public static Report run(DriverImage image, KernelConfig config, Exploration exploration, int schedules,
            long seed) {
        return run(image, config, exploration, schedules, seed, Long.MAX_VALUE, null, false, null, null, null);
    }

    /**
     * Runs at most {@code schedules} schedules of {@code image}, explored by {@code exploration}
     * directed at {@code goal} ({@link Exploration#directed}), until every target of the goal has
     * been seen and a tenth of {@code schedules} has run.
     */
    public static Report run(DriverImage image, KernelConfig config, Exploration exploration, int schedules,
            long seed, Goal goal) {
        return run(image, config, exploration, schedules, seed, Long.MAX_VALUE, null, false, null, null, goal);
    }

    /**
     * Runs at most {@code schedules} schedules of {@code image} explored by {@code exploration}
     * (fewer when it runs out, or when {@code budgetMillis} of wall-clock time have passed before the
     * next would start), telling {@code listener} (or null); with {@code trace}, the first schedule
     * that shows a violation is run again, traced; with {@code traceEvery} (a directory, or null),
     * every schedule is, and its trace written there as {@code schedule-SEED.trace}; with
     * {@code traceViolations} (a directory, or null), the first schedule that shows each violation
     * is, and its trace written there under {@link Trace#fileName(Violation)}; with {@code goal}
     * (or null), the search is directed at it and ends once it has seen all its targets and run a
     * tenth of {@code schedules} (the rest of that tenth looks for violations no target predicted).
     */
    static Report run(DriverImage image, KernelConfig config, Exploration exploration, int schedules, long seed,
            long budgetMillis, Listener listener, boolean trace, java.nio.file.Path traceEvery,
            java.nio.file.Path traceViolations, Goal goal) {
        String traced = null;
        String ended = null;
        long deadline = budgetMillis == Long.MAX_VALUE ? Long.MAX_VALUE
                : System.nanoTime() + budgetMillis * 1_000_000;
        List<ScheduleResult> results = new ArrayList<>();
        Map<String, Violation> violations = new LinkedHashMap<>();
        Map<String, Long> firstSeed = new LinkedHashMap<>();
        String stopped = null;
        java.util.BitSet entered = new java.util.BitSet();
        Goal.Focus focus = goal == null ? null : image.focus(goal);
        Steering steering = Steering.toward(image, focus);
        if (goal != null) {
            exploration = exploration.directed();
        }
        java.util.Set<String> targetsSeen = new java.util.HashSet<>();
        int[] lineSchedules = new int[image.probeCount()];
        long[] lineHits = new long[image.probeCount()];
        for (int i = 0; i < schedules; i++) {
            long s = seed + i;
            if (i > 0 && System.nanoTime() > deadline) {
                ended = "the time budget was spent after " + i + " schedules";
                break;
            }
            SchedulingStrategy strategy = exploration.next(s);
            if (strategy == null) {
                ended = "the " + exploration.name() + " search ran out of schedules within its bound after " + i;
                break;
            }
            // the workload and the faults come from the run's seed: every schedule of a systematic search runs the same
            long data = exploration.systematic() ? seed : s;
            Kernel kernel = new Kernel(image, config, strategy, data);
            kernel.focus = focus == null || focus.isEmpty() ? null : focus;
            // the workload bends toward the goal in the schedules the search directs
            kernel.steer(Exploration.directs(i) ? steering : Steering.NONE);
            if (listener != null) {
                listener.starting(kernel, s);
            }
            ScheduleResult r = kernel.run();
            results.add(r);
            entered.or(kernel.entered);
            for (int p = 0; p < lineHits.length; p++) {
                lineHits[p] += kernel.lineHits[p];
                lineSchedules[p] += kernel.lineHits[p] > 0 ? 1 : 0;
            }
            exploration.finished(kernel.scheduler.choices.size());
            boolean traceThis = trace && traced == null && !r.violations().isEmpty();
            boolean traceNew = traceViolations != null
                    && r.violations().stream().anyMatch(v -> !violations.containsKey(v.key()));
            if (!kernel.contextsStillRunning() && (traceEvery != null || traceThis || traceNew)) {
                // the schedule is run again, traced, once, whichever traces are asked of it
                Replay.Recording recording = Replay.recording(image, config, data, exploration.name(),
                        kernel.scheduler.choices, kernel.steering());
                if (traceEvery != null) {
                    Trace.write(traceEvery.resolve("schedule-" + s + ".trace"), recording.text(null));
                }
                if (traceThis) {
                    traced = recording.text(null);
                }
                if (traceNew) {
                    for (Violation v : r.violations()) {
                        if (!violations.containsKey(v.key())) {
                            // each violation's trace lists it first: that is the one its replay checks
                            Trace.write(traceViolations.resolve(Trace.fileName(v)),
                                    recording.text(Trace.key(image.root(), v)));
                        }
                    }
                }
            }
            for (Violation v : r.violations()) {
                firstSeen(violations, firstSeed, v, s);
                if (goal != null && goal.wants(v)) {
                    targetsSeen.add(v.key());
                }
            }
            if (listener != null) {
                listener.finished(r);
            }
            if (kernel.contextsStillRunning()) {
                // a driver thread that never came back cannot be stopped: the next schedule would share the machine
                stopped = "schedule " + s + " left driver code running outside the kernel's control";
                break;
            }
            // once every predicted violation has shown, a tenth of the budget still looks for those none predicted
            if (goal != null && targetsSeen.size() == goal.size() && i + 1 >= schedules / 10 && i + 1 < schedules) {
                ended = "every predicted violation was shown after " + (i + 1) + " schedule" + (i == 0 ? "" : "s");
                break;
            }
        }
        return new Report(results, violations, firstSeed, stopped, traced, ended, image.coverage(entered),
                image.lineCoverage(lineSchedules, lineHits));
    }
}
