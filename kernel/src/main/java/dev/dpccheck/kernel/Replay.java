package dev.dpccheck.kernel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Re-runs one recorded schedule exactly, in this JVM: what {@code dpccheck replay} does in its
 * child JVM, and what a driver's author calls from a JUnit test to stop at a breakpoint in the
 * driver on the way to a violation:
 * <pre>
 * Replay.Result r = Replay.run(Path.of("src/main/java/mydriver"), Path.of("target/dpccheck.trace"));
 * assertTrue(r.reproduced(), r.interleaving());
 * </pre>
 * Driver code runs with the kernel's instrumentation and allow list, on the kernel's threads, one
 * context at a time, so a breakpoint in a routine stops the whole simulated machine there.
 */
public final class Replay {
    private Replay() {
    }

    /**
     * What a replay did.
     *
     * @param recorded the trace it followed
     * @param events the interleaving of this run
     * @param violations the violations of this run
     * @param divergence where and why the run left the trace, or null when it followed it to the end
     * @param sourceChanged whether the driver's sources differ from those the trace was recorded with
     */
    public record Result(Trace.Recorded recorded, List<Trace.Event> events, List<Violation> violations,
            String divergence, boolean sourceChanged) {
        /** Whether the run followed the trace to its end and showed the trace's first violation again. */
        public boolean reproduced() {
            if (divergence != null) {
                return false;
            }
            if (recorded.violations().isEmpty()) {
                return violations.isEmpty();
            }
            Violation first = recorded.violations().get(0);
            return violations.stream().anyMatch(v -> v.key().equals(first.key()));
        }

        /** The interleaving in text, one event per line, each processor's events in a column of their own. */
        public String interleaving() {
            return Replay.interleaving(events, violations, divergence);
        }
    }

    /** Replays the trace in {@code traceFile} against the driver under {@code driver}. */
    public static Result run(Path driver, Path traceFile) throws IOException, Trace.BadTraceException,
            DriverImage.CompileException, DriverImage.NoDriverException, DriverImage.RefusedException {
        Trace.Recorded t = Trace.read(traceFile);
        return run(DriverImage.compile(driver), t);
    }

    static Result run(DriverImage image, Trace.Recorded t) {
        ReplayStrategy strategy = new ReplayStrategy(t.choices());
        Kernel kernel = new Kernel(image, t.header().config(), strategy, t.header().seed());
        kernel.trace = new Trace(kernel);
        ScheduleResult r = kernel.run();
        return new Result(t, List.copyOf(kernel.trace.events), r.violations(), strategy.divergenceAtEnd(),
                !image.sourceHash().equals(t.header().source()));
    }

    /**
     * The trace of a schedule that ran with {@code log}'s decisions: the schedule is run again,
     * traced, with the same decisions and the same seed, which makes it the same schedule.
     */
    static String record(DriverImage image, KernelConfig config, long seed, String strategy, ChoiceLog log) {
        Kernel kernel = new Kernel(image, config, ReplayStrategy.of(log), seed);
        kernel.trace = new Trace(kernel);
        ScheduleResult r = kernel.run();
        Trace.Header h = new Trace.Header(Trace.FORMAT, Kernel.VERSION, image.root().toAbsolutePath().normalize().toString(),
                image.sourceHash(), config, seed, strategy);
        return Trace.text(h, r.violations(), kernel.trace.choices, kernel.trace.events);
    }

    private static final int COLUMN = 10;

    static String interleaving(List<Trace.Event> events, List<Violation> violations, String divergence) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%8s %10s  %s%n", "step", "time us", "processor: context: event"));
        for (Trace.Event e : events) {
            String where = e.cpu() < 0 ? "-" : "CPU" + e.cpu();
            sb.append(String.format("%8d %10d  ", e.step(), e.time()));
            sb.append(" ".repeat(e.cpu() < 0 ? 0 : COLUMN * (e.cpu() + 1)));
            sb.append(where).append(": ").append(e.actor().equals("-") ? "" : e.actor() + ": ").append(e.text())
                    .append('\n');
        }
        if (divergence != null) {
            sb.append("diverged from the trace: ").append(divergence).append('\n');
        }
        for (Violation v : violations) {
            sb.append("violation ").append(v.rule()).append(" at ").append(v.location()).append(": ").append(v.message())
                    .append('\n');
        }
        return sb.toString();
    }
}
