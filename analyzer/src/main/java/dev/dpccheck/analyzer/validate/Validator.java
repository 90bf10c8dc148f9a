package dev.dpccheck.analyzer.validate;

import dev.dpccheck.analyzer.Analyzer;
import dev.dpccheck.analyzer.findings.Finding;
import dev.dpccheck.analyzer.findings.Location;
import dev.dpccheck.analyzer.findings.Notification;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.findings.Validation;
import dev.dpccheck.kernel.DriverImage;
import dev.dpccheck.kernel.Goal;
import dev.dpccheck.kernel.IsolatedSimulation;
import dev.dpccheck.kernel.KernelConfig;
import dev.dpccheck.kernel.Simulation;
import dev.dpccheck.kernel.Trace;
import dev.dpccheck.kernel.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code audit --validate}: runs each driver the audit found in the simulated kernel, in a child
 * JVM, and matches what the kernel's runtime verifier shows against the static findings. A
 * finding is {@code confirmed} by a violation of the same rule at the same line (with the trace
 * of the schedule that first showed it), {@code not-exercised} when its line never ran (the method
 * holding it never entered, or the branch to it never taken), {@code not-reproduced} when the
 * budget was spent without the violation though the line ran (and how often it did), {@code
 * not-validated} when the driver could not run. The search is directed at the findings ({@link
 * Goal}): it ends once each has been shown. Violations no finding predicted become
 * findings of their own ({@code found-by-simulation}); those of the whole run (a stall), notifications.
 * No driver code runs in this JVM.
 */
public final class Validator {
    /**
     * How to validate.
     *
     * @param strategy the exploration strategy ({@code pct:2}, {@code pos}, ...)
     * @param schedules the schedules per driver
     * @param seed the seed of the first schedule
     * @param budgetMillis the wall-clock budget per driver, or {@link Long#MAX_VALUE}
     * @param faults the device fault rate
     * @param traces the directory the traces go to, one directory per driver below it
     * @param classpath what the drivers compile against besides the WDM API, or null
     */
    public record Options(String strategy, int schedules, long seed, long budgetMillis, double faults, Path traces,
            String classpath) {
        /**
         * What is wrong with these options, in one phrase that starts with the option's name as the
         * Maven plugin spells it ({@code schedules must be ...}; the command line puts {@code --}
         * before it), or null.
         */
        public String problem() {
            if (schedules < 1 || schedules > 1_000_000) {
                return "schedules must be 1..1000000, not " + schedules;
            }
            if (!(faults >= 0 && faults <= 1)) {
                return "faults must be 0..1, not " + faults;
            }
            if (budgetMillis <= 0) {
                return "time-budget must be positive";
            }
            try {
                dev.dpccheck.kernel.Exploration.of(strategy);
            } catch (IllegalArgumentException e) {
                return "strategy: " + e.getMessage();
            }
            return null;
        }
    }

    private Validator() {
    }

    /** The audit's result with every finding validated, the simulation's own findings added. */
    public static Analyzer.Result validate(Analyzer.Result result, List<Path> paths, Options options) throws IOException {
        List<Path> roots = driverRoots(paths);
        List<Finding> out = new ArrayList<>();
        List<Notification> notes = new ArrayList<>(result.notifications());
        Map<Path, List<Finding>> byRoot = new TreeMap<>();
        for (Finding f : result.findings()) {
            Path root = rootOf(roots, Path.of(f.location().file()));
            if (root == null) {
                out.add(f.validated(new Validation(Validation.Status.NOT_VALIDATED,
                        "no class of its driver declares '@HardwareId' for a simulated device", 0, null, null)));
            } else {
                byRoot.computeIfAbsent(root, r -> new ArrayList<>()).add(f);
            }
        }
        for (Path root : roots) {
            List<Finding> findings = byRoot.getOrDefault(root, List.of());
            run(root, findings, options, out, notes);
        }
        out.sort(null);
        return new Analyzer.Result(out, notes, result.filesRead(), result.filesAnalyzed());
    }

    private static void run(Path root, List<Finding> findings, Options o, List<Finding> out, List<Notification> notes)
            throws IOException {
        Path traces = o.traces().resolve(root.normalize().toString().isEmpty() ? "driver"
                : root.normalize().toString().replaceAll("[^A-Za-z0-9._-]", "_"));
        KernelConfig config = KernelConfig.defaults().withFaultRate(o.faults());
        IsolatedSimulation.Outcome outcome;
        try {
            outcome = IsolatedSimulation.run(root, o.classpath(), config,
                    new IsolatedSimulation.Search(o.strategy(), o.schedules(), o.seed(), o.budgetMillis(), false, null,
                            traces, goal(findings)),
                    new IsolatedSimulation.Limits(1024, 600_000, 60_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the driver under '" + root + "' ran", e);
        }
        if (outcome.status() != IsolatedSimulation.Status.RAN) {
            // a driver that loaded and then ended the simulation (its memory, its exit) ran: its findings were not shown
            boolean loaded = outcome.driver() != null;
            String why = (loaded ? "the simulation of the driver ended: " : "the driver did not run: ")
                    + firstLine(outcome.message());
            for (Finding f : findings) {
                out.add(f.validated(new Validation(loaded ? Validation.Status.NOT_REPRODUCED
                        : Validation.Status.NOT_VALIDATED, why, 0, null, null)));
            }
            return;
        }
        Simulation.Report report = outcome.report();
        int ran = report.schedules().size();
        String spent = schedules(ran) + " of " + o.strategy() + " showed no violation here"
                + (report.stopped() != null ? " (the run stopped: " + report.stopped() + ")" : "");
        Map<String, Violation> byPlace = new TreeMap<>();
        for (Violation v : report.violations().values()) {
            byPlace.put(place(v.rule(), v.file(), v.line()), v);
        }
        TreeSet<String> matched = new TreeSet<>();
        for (Finding f : findings) {
            String key = place(f.ruleId(), f.location().file(), f.location().line());
            Violation v = byPlace.get(key);
            DriverImage.Coverage method = v == null ? methodAt(report.coverage(), f.location()) : null;
            DriverImage.LineCoverage line = v == null ? lineAt(report.lines(), f.location()) : null;
            if (v == null && method != null && !method.entered()) {
                out.add(f.validated(new Validation(Validation.Status.NOT_EXERCISED, "'" + method.method()
                        + "' was never entered in " + schedules(ran), ran, null, null)));
            } else if (v == null && line != null && line.schedules() == 0) {
                out.add(f.validated(new Validation(Validation.Status.NOT_EXERCISED, "line " + line.line()
                        + " never ran in " + schedules(ran) + (method == null ? "" : ", though '" + method.method()
                        + "' was entered: the branch to it was never taken"), ran, null, null)));
            } else if (v == null) {
                out.add(f.validated(new Validation(Validation.Status.NOT_REPRODUCED, spent + (line == null ? ""
                        : "; line " + line.line() + " ran in " + line.schedules() + " of them, " + line.hits()
                        + " time" + (line.hits() == 1 ? "" : "s") + " in all"), ran, null, null)));
            } else {
                matched.add(key);
                out.add(f.validated(shown(Validation.Status.CONFIRMED, v, report, o, traces)));
            }
        }
        for (Map.Entry<String, Violation> e : byPlace.entrySet()) {
            Violation v = e.getValue();
            if (matched.contains(e.getKey())) {
                continue;
            }
            if (v.file() == null) {
                notes.add(new Notification(root.toString(), 0, "simulation: " + v.rule() + ": " + v.message()
                        + " (replay: dpccheck replay " + traces.resolve(Trace.fileName(v)) + ")"));
            } else {
                out.add(new Finding(v.rule(), Severity.ERROR, v.message(), statementAt(v.file(), v.line()),
                        List.of(), false, shown(Validation.Status.FOUND_BY_SIMULATION, v, report, o, traces)));
            }
        }
    }

    /**
     * What the search looks for: each finding's rule at its line, and the lines of its witness,
     * where the directed search places its preemptions. Null without findings: the search is then
     * undirected, for the violations no finding predicted.
     */
    public static Goal goal(List<Finding> findings) {
        if (findings.isEmpty()) {
            return null;
        }
        List<Goal.Target> targets = new ArrayList<>();
        Map<String, List<Integer>> lines = new TreeMap<>();
        for (Finding f : findings) {
            targets.add(new Goal.Target(f.ruleId(), f.location().file(), f.location().line()));
            for (Finding.Step s : f.witness()) {
                lines.computeIfAbsent(s.location().file(), x -> new ArrayList<>()).add(s.location().line());
            }
        }
        return new Goal(targets, lines);
    }

    private static Validation shown(Validation.Status status, Violation v, Simulation.Report report, Options o,
            Path traces) {
        Long seed = report.firstSeed().get(v.key());
        int schedules = seed == null ? report.schedules().size() : (int) (seed - o.seed() + 1);
        return new Validation(status, null, schedules, seed, traces.resolve(Trace.fileName(v)).toString());
    }

    /** A rule at a line of a file, the file taken absolute, as findings and violations are matched. */
    private static String place(String rule, String file, int line) {
        return new Goal.Target(rule, file, line).key();
    }

    /** The driver a file belongs to: the deepest root that holds it. */
    private static Path rootOf(List<Path> roots, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path best = null;
        for (Path r : roots) {
            Path a = r.toAbsolutePath().normalize();
            if (abs.startsWith(a) && (best == null || a.getNameCount() > best.toAbsolutePath().normalize().getNameCount())) {
                best = r;
            }
        }
        return best;
    }

    /**
     * The drivers under the paths: the directory of each source file that declares a class with
     * {@code @HardwareId}, sorted.
     */
    static List<Path> driverRoots(List<Path> paths) throws IOException {
        TreeSet<Path> roots = new TreeSet<>();
        for (Path p : paths) {
            List<Path> files;
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    files = s.filter(f -> f.toString().endsWith(".java") && Files.isRegularFile(f)).sorted()
                            .collect(Collectors.toList());
                }
            } else {
                files = List.of(p);
            }
            for (Path f : files) {
                if (Files.isRegularFile(f) && Files.size(f) < 16 << 20
                        && new String(Files.readAllBytes(f), StandardCharsets.UTF_8).contains("@HardwareId(")) {
                    roots.add(f.getParent() == null ? Path.of("") : f.getParent());
                }
            }
        }
        return new ArrayList<>(roots);
    }

    private static String schedules(int n) {
        return n + " schedule" + (n == 1 ? "" : "s");
    }

    /** How often the line of a location ran, or null when it had no probe (no code of its own). */
    private static DriverImage.LineCoverage lineAt(List<DriverImage.LineCoverage> lines, Location at) {
        String file = Path.of(at.file()).toAbsolutePath().normalize().toString();
        for (DriverImage.LineCoverage c : lines) {
            if (c.line() == at.line() && c.file().equals(file)) {
                return c;
            }
        }
        return null;
    }

    /** The innermost instrumented method whose lines hold a location, or null. */
    private static DriverImage.Coverage methodAt(List<DriverImage.Coverage> coverage, Location at) {
        String file = Path.of(at.file()).toAbsolutePath().normalize().toString();
        DriverImage.Coverage best = null;
        for (DriverImage.Coverage c : coverage) {
            if (Path.of(c.file()).toAbsolutePath().normalize().toString().equals(file) && c.firstLine() <= at.line()
                    && at.line() <= c.lastLine() && (best == null || c.lastLine() - c.firstLine()
                    < best.lastLine() - best.firstLine())) {
                best = c;
            }
        }
        return best;
    }

    /** A whole source line as a location: from its first character that is not a space to its end. */
    private static Location statementAt(String file, int line) {
        List<String> lines = dev.dpccheck.analyzer.report.SourceLines.of(file);
        if (line < 1 || line > lines.size()) {
            return new Location(file, line, 1, 1);
        }
        String text = lines.get(line - 1);
        int end = text.indexOf("//") >= 0 ? text.indexOf("//") : text.length();
        String code = text.substring(0, end).stripTrailing();
        int start = code.length() - code.stripLeading().length();
        return new Location(file, line, start + 1, Math.max(start + 2, code.length() + 1));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no reason given";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
