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
     * @param reproduced whether the run followed the trace to its end and showed the trace's first
     *     violation again (the same rule at the same line of the same file of the driver)
     */
    public record Result(Trace.Recorded recorded, List<Trace.Event> events, List<Violation> violations,
            String divergence, boolean sourceChanged, boolean reproduced) {

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
        kernel.steer(t.header().steering());
        kernel.trace = new Trace(kernel);
        ScheduleResult r = kernel.run();
        String divergence = strategy.divergenceAtEnd();
        boolean reproduced = divergence == null && (t.violations().isEmpty() ? r.violations().isEmpty()
                : r.violations().stream().anyMatch(v -> Trace.key(image.root(), v).equals(t.violations().get(0).key())));
        return new Result(t, List.copyOf(kernel.trace.events), r.violations(), divergence,
                !image.sourceHash().equals(t.header().source()), reproduced);
    }

    /** A schedule run again, traced: what its trace file holds, written with any of its violations first. */
    record Recording(Trace.Header header, List<Violation> violations, List<Trace.Choice> choices,
            List<Trace.Event> events) {
        /**
         * The trace text; with {@code firstKey} (a {@link Trace#key} of one of the violations), that
         * violation is listed first, which is the one a replay checks.
         */
        String text(String firstKey) {
            List<Violation> ordered = new java.util.ArrayList<>(violations);
            if (firstKey != null) {
                ordered.sort(java.util.Comparator.comparing(v -> v.key().equals(firstKey) ? 0 : 1));
            }
            return Trace.text(header, ordered, choices, events);
        }
    }

    /**
     * The trace of a schedule that ran with {@code log}'s decisions: the schedule is run again,
     * traced, with the same decisions and the same seed, which makes it the same schedule.
     */
    static Recording recording(DriverImage image, KernelConfig config, long seed, String strategy, ChoiceLog log,
            Steering steering) {
        Kernel kernel = new Kernel(image, config, ReplayStrategy.of(log), seed);
        kernel.steer(steering);
        kernel.trace = new Trace(kernel);
        ScheduleResult r = kernel.run();
        Trace.Header h = new Trace.Header(Trace.FORMAT, Kernel.VERSION, image.root().toAbsolutePath().normalize().toString(),
                image.sourceHash(), config, seed, strategy, steering);
        List<Violation> relative = r.violations().stream().map(v -> new Violation(v.rule(), v.message(),
                v.file() == null ? null : Trace.relative(image.root(), v.file()), v.line(), v.routine(), v.context(),
                v.time(), v.step())).collect(java.util.stream.Collectors.toList());
        return new Recording(h, relative, kernel.trace.choices, kernel.trace.events);
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
