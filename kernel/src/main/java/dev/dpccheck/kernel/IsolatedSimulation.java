package dev.dpccheck.kernel;

import dev.dpccheck.kernel.verifier.DriverTerminatedSimulation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs a driver's schedules in a child JVM, bounded in memory and in time, and owns the verdict:
 * the child ({@link SimulationChild}) only reports what each schedule did, on a channel that
 * driver code cannot reach, and a child that exits, halts, dies, runs out of memory or misses the
 * deadline is an outcome reported here, never a clean run. One child serves the whole run: the
 * JVM starts once and its compiled code is reused across schedules.
 */
public final class IsolatedSimulation {
    private IsolatedSimulation() {
    }

    /**
     * The child's bounds.
     *
     * @param memoryMiB the child JVM's heap ({@code -Xmx})
     * @param timeoutMillis the deadline for the whole run, from the child's start
     * @param scheduleMillis the wall-clock bound of one schedule, after which the driver is hung
     */
    public record Limits(long memoryMiB, long timeoutMillis, long scheduleMillis) {
    }

    /** How the run ended. */
    public enum Status {
        /** Schedules ran; the report says what they found and whether the run stopped early. */
        RAN,
        /** PATH holds no driver. */
        NO_DRIVER,
        /** The driver does not compile. */
        COMPILE_ERROR,
        /** The driver uses what a kernel-mode driver cannot: one diagnostic per use. */
        REFUSED,
        /** The driver's sources cannot be read. */
        UNREADABLE,
        /** dpccheck itself failed. */
        INTERNAL
    }

    /**
     * The outcome of a run.
     *
     * @param status how it ended
     * @param message the diagnostics for every status but RAN
     * @param driver the driver's name, once loaded
     * @param report the schedules' results (RAN only)
     * @param replay what a replay did (RAN of a replay only)
     */
    public record Outcome(Status status, String message, String driver, Simulation.Report report, Replayed replay) {
    }

    /**
     * What the child's replay of a trace did.
     *
     * @param interleaving the run's interleaving in text ({@link Replay.Result#interleaving})
     * @param reproduced whether it followed the trace to its end and showed its first violation again
     * @param divergence where and why it left the trace, or null
     * @param sourceChanged whether the driver's sources changed since the trace was recorded
     */
    public record Replayed(String interleaving, boolean reproduced, String divergence, boolean sourceChanged) {
    }

    /**
     * What schedules to run.
     *
     * @param strategy the exploration, as {@link Exploration#of} reads it
     * @param schedules the most schedules to run
     * @param seed the seed of the first schedule
     * @param budgetMillis the wall-clock time after which no further schedule starts, or Long.MAX_VALUE
     * @param trace whether to trace the first schedule that shows a violation
     * @param traceEvery a directory to write the trace of every schedule to, or null
     * @param traceViolations a directory to write the trace of the first schedule of each violation
     *     to ({@link Trace#fileName(Violation)}), or null
     * @param goal the violations to look for, directing the search and ending it once all are seen, or null
     */
    public record Search(String strategy, int schedules, long seed, long budgetMillis, boolean trace, Path traceEvery,
            Path traceViolations, Goal goal) {
        /** A search without a goal. */
        public Search(String strategy, int schedules, long seed, long budgetMillis, boolean trace, Path traceEvery,
                Path traceViolations) {
            this(strategy, schedules, seed, budgetMillis, trace, traceEvery, traceViolations, null);
        }

        /** {@code schedules} schedules of a random walk, untraced. */
        public static Search random(int schedules, long seed) {
            return new Search("random", schedules, seed, Long.MAX_VALUE, false, null, null);
        }
    }

    /** Runs {@code schedules} schedules of a random walk of the driver under {@code path} in a child JVM. */
    public static Outcome run(Path path, String classpath, KernelConfig config, int schedules, long seed,
            Limits limits) throws IOException, InterruptedException {
        return run(path, classpath, config, Search.random(schedules, seed), limits, true, null);
    }

    /** Runs the schedules {@code search} asks for of the driver under {@code path} in a child JVM. */
    public static Outcome run(Path path, String classpath, KernelConfig config, Search search, Limits limits)
            throws IOException, InterruptedException {
        return run(path, classpath, config, search, limits, true, null);
    }

    /**
     * Replays the trace in {@code traceFile} (already read and checked with {@link Trace#read})
     * against the driver under {@code path} in a child JVM.
     */
    public static Outcome replay(Path path, String classpath, Path traceFile, Limits limits)
            throws IOException, InterruptedException {
        return run(path, classpath, KernelConfig.defaults(), Search.random(1, 0), limits, true, traceFile);
    }

    /** As {@link #run}, without the allow list (tests of the isolation alone). */
    static Outcome runUnverified(Path path, String classpath, KernelConfig config, int schedules, long seed,
            Limits limits) throws IOException, InterruptedException {
        return run(path, classpath, config, Search.random(schedules, seed), limits, false, null);
    }

    private static Outcome run(Path path, String classpath, KernelConfig config, Search search, Limits limits,
            boolean verify, Path replay) throws IOException, InterruptedException {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String nonce = HexFormat.of().formatHex(random);
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + limits.memoryMiB() + "m");
        command.add("-XX:-UsePerfData");
        command.add("-XX:ErrorFile=" + Paths.get(System.getProperty("java.io.tmpdir"), "dpccheck-child-%p.log"));
        command.add("-Xlog:disable");
        command.add("-Xlog:all=error:stderr");
        command.add("-cp");
        command.add(childClasspath());
        command.add(SimulationChild.class.getName());
        ProcessBuilder pb = new ProcessBuilder(command);
        Process child = pb.start();
        Collector collector = new Collector(nonce, search.schedules());
        Thread out = reader("dpccheck-child-out", child.getInputStream(), collector::line);
        StringBuilder errTail = new StringBuilder();
        Thread err = reader("dpccheck-child-err", child.getErrorStream(), line -> {
            synchronized (errTail) {
                errTail.append(line).append('\n');
                if (errTail.length() > 8192) {
                    errTail.delete(0, errTail.length() - 8192);
                }
            }
        });
        try (OutputStream in = child.getOutputStream();
                PrintStream req = new PrintStream(in, false, StandardCharsets.UTF_8)) {
            req.println(nonce);
            put(req, nonce, "path", path.toString());
            put(req, nonce, "classpath", classpath);
            put(req, nonce, "cpus", config.cpus());
            put(req, nonce, "faults", config.faultRate());
            put(req, nonce, "threads", config.threads());
            put(req, nonce, "requests", config.requestsPerThread());
            put(req, nonce, "points", config.sharedMemoryPoints());
            put(req, nonce, "schedules", search.schedules());
            put(req, nonce, "seed", search.seed());
            put(req, nonce, "strategy", search.strategy());
            put(req, nonce, "budget", search.budgetMillis());
            put(req, nonce, "scheduleMillis", limits.scheduleMillis());
            put(req, nonce, "verify", verify);
            put(req, nonce, "trace", search.trace());
            put(req, nonce, "traceEvery", search.traceEvery() == null ? null : search.traceEvery().toAbsolutePath());
            put(req, nonce, "traceViolations", search.traceViolations() == null ? null
                    : search.traceViolations().toAbsolutePath());
            put(req, nonce, "goal", search.goal() == null ? null : search.goal().text());
            put(req, nonce, "replay", replay == null ? null : replay.toAbsolutePath().toString());
            req.println(Channel.encode(nonce, "go"));
        } catch (IOException e) {
            // the child died before reading its request: its exit status tells why
        }
        boolean exited = child.waitFor(limits.timeoutMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            child.destroyForcibly();
            child.waitFor();
        }
        out.join(5000);
        err.join(1000);
        String tail;
        synchronized (errTail) {
            tail = errTail.toString();
        }
        return collector.outcome(exited, child.exitValue(), limits, tail);
    }

    private static void put(PrintStream req, String nonce, String key, Object value) {
        req.println(Channel.encode(nonce, key, value == null ? null : String.valueOf(value)));
    }

    /** The kernel and what it needs (ASM), from where this JVM loaded them: a jar or class directories. */
    static String childClasspath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> c : List.of(SimulationChild.class, org.objectweb.asm.ClassReader.class)) {
            try {
                entries.add(Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (Exception e) {
                entries.add(System.getProperty("java.class.path"));
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private interface LineSink {
        void line(String line);
    }

    /** Reads lines of at most 1 MiB (a longer one is cut) until the stream ends. */
    private static Thread reader(String name, InputStream stream, LineSink sink) {
        Thread t = new Thread(() -> {
            try (Reader r = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                StringBuilder line = new StringBuilder();
                int c;
                while ((c = r.read()) >= 0) {
                    if (c == '\n') {
                        sink.line(line.toString());
                        line.setLength(0);
                    } else if (line.length() < (1 << 20)) {
                        line.append((char) c);
                    }
                }
                if (line.length() > 0) {
                    sink.line(line.toString());
                }
            } catch (IOException e) {
                // the child is gone; what it said so far stands
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** What the child said, frame by frame. */
    private static final class Collector {
        private final String nonce;
        private final int schedules;
        private final List<ScheduleResult> results = new ArrayList<>();
        private final Map<String, Violation> violations = new LinkedHashMap<>();
        private final Map<String, Long> firstSeed = new LinkedHashMap<>();
        private List<Violation> pending = new ArrayList<>();
        private Long running;
        private String driver;
        private Status status;
        private String message;
        private String stopped;
        private boolean done;
        private Violation terminated;
        private StringBuilder trace;
        private String ended;
        private final List<DriverImage.Coverage> coverage = new ArrayList<>();
        private final List<DriverImage.LineCoverage> lines = new ArrayList<>();
        private StringBuilder interleaving;
        private Replayed replayed;

        Collector(String nonce, int schedules) {
            this.nonce = nonce;
            this.schedules = schedules;
        }

        synchronized void line(String line) {
            Channel.Frame f = Channel.decode(nonce, line);
            if (f == null) {
                return;
            }
            switch (f.type()) {
                case "driver" -> driver = f.field(0);
                case "begin" -> {
                    running = f.longField(0);
                    pending = new ArrayList<>();
                }
                case "violation" -> {
                    Violation v = violation(f);
                    pending.add(v);
                    add(v, running == null ? 0 : running);
                }
                case "end" -> {
                    results.add(new ScheduleResult(f.longField(0), List.copyOf(pending), f.intField(1), f.intField(2),
                            f.longField(3), f.longField(4), f.longField(5), f.intField(6), f.longField(7)));
                    running = null;
                }
                case "terminated" -> terminated = violation(f);
                case "trace-line" -> {
                    if (trace == null) {
                        trace = new StringBuilder();
                    }
                    trace.append(f.field(0)).append('\n');
                }
                case "replay-line" -> {
                    if (interleaving == null) {
                        interleaving = new StringBuilder();
                    }
                    interleaving.append(f.field(0)).append('\n');
                }
                case "replayed" -> replayed = new Replayed(interleaving == null ? "" : interleaving.toString(),
                        Boolean.parseBoolean(f.field(0)), f.field(1), Boolean.parseBoolean(f.field(2)));
                case "stopped" -> stopped = f.field(0);
                case "ended" -> ended = f.field(0);
                case "method" -> coverage.add(new DriverImage.Coverage(f.field(0), f.field(1), f.intField(2),
                        f.intField(3), Boolean.parseBoolean(f.field(4))));
                case "line" -> lines.add(new DriverImage.LineCoverage(f.field(0), f.intField(1), f.intField(2),
                        f.longField(3)));
                case "done" -> done = true;
                case "no-driver" -> fail(Status.NO_DRIVER, f.field(0));
                case "compile-error" -> fail(Status.COMPILE_ERROR, f.field(0));
                case "refused" -> fail(Status.REFUSED, f.field(0));
                case "unreadable" -> fail(Status.UNREADABLE, f.field(0));
                case "error" -> fail(Status.INTERNAL, f.field(0));
                default -> {
                    // a frame of a newer child: ignored
                }
            }
        }

        private void fail(Status s, String m) {
            status = s;
            message = m;
        }

        private void add(Violation v, long seed) {
            Simulation.firstSeen(violations, firstSeed, v, seed);
        }

        private static Violation violation(Channel.Frame f) {
            return new Violation(f.field(0), f.field(1), f.field(2), f.intField(3), f.field(4), f.field(5),
                    f.longField(6), f.longField(7));
        }

        synchronized Outcome outcome(boolean exited, int exitStatus, Limits limits, String errTail) {
            if (status != null) {
                return new Outcome(status, message, driver, null, null);
            }
            if (driver == null) {
                String last = lastLine(errTail);
                return new Outcome(Status.INTERNAL, exited
                        ? "the simulation's JVM ended with exit status " + exitStatus + " before loading the driver"
                                + (last.isEmpty() ? "" : ": " + last)
                        : "the simulation's JVM did not load the driver within the time limit of "
                                + seconds(limits.timeoutMillis()) + " (--timeout)", null, null, null);
            }
            String stop = stopped;
            if (!done && stop == null) {
                String during = running == null ? "between schedules" : "during schedule " + running;
                String after = results.size() + " of " + schedules + " schedules ran";
                if (!exited) {
                    stop = "the run reached its time limit of " + seconds(limits.timeoutMillis()) + " (--timeout) "
                            + during + "; " + after;
                } else {
                    boolean oom = errTail.contains("OutOfMemoryError");
                    String how = "the simulated machine's process ended with exit status " + exitStatus + " " + during
                            + (oom ? " after running out of memory (--memory " + limits.memoryMiB() + "m)" : "");
                    Violation v = terminated != null ? terminated
                            : new Violation(DriverTerminatedSimulation.ID, DriverTerminatedSimulation.machineEnded(how), null, 0, "-", "-",
                                    0, 0);
                    add(v, running == null ? 0 : running);
                    stop = how + "; " + after;
                }
            }
            return new Outcome(Status.RAN, null, driver,
                    new Simulation.Report(List.copyOf(results), violations, firstSeed, stop,
                            trace == null ? null : trace.toString(), ended, List.copyOf(coverage),
                            List.copyOf(lines)), replayed);
        }
    }

    private static String lastLine(String text) {
        String t = text.strip();
        int nl = t.lastIndexOf('\n');
        return nl < 0 ? t : t.substring(nl + 1);
    }

    static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
    }
}
