package dev.dpccheck.bench;

import dev.dpccheck.analyzer.Analyzer;
import dev.dpccheck.analyzer.findings.Finding;
import dev.dpccheck.analyzer.validate.Validator;
import dev.dpccheck.kernel.DriverImage;
import dev.dpccheck.kernel.Exploration;
import dev.dpccheck.kernel.Goal;
import dev.dpccheck.kernel.KernelConfig;
import dev.dpccheck.kernel.Simulation;
import dev.dpccheck.kernel.Violation;
import dev.dpccheck.rules.Rules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Schedules and time to confirm each static finding of the seeded drivers, directed against
 * undirected: for each variant, the analyzer's findings become a {@link Goal} (as {@code audit
 * --validate} makes it), and schedules of PCT run (fault rate 0.05) until every finding's violation
 * has shown at its line, or the budget is spent; once directed at the goal, once not; each search
 * {@code R} times, from seeds 1, 1001, 2001, ... (the means over those runs are in the table). The time to confirm a finding runs from the driver's compile to the end of the
 * schedule that showed it, in this JVM (the child JVM's start, about half a second, and the static
 * analysis are not in it). Prints a Markdown table and the medians; asserts nothing.
 *
 * <pre>java -cp ... dev.dpccheck.bench.ValidateBench testdata/drivers/seeded 200 pct:2 5</pre>
 */
public final class ValidateBench {
    private ValidateBench() {
    }

    /** When a finding was first shown: the schedules it took and the seconds since the compile. */
    private record Shown(int schedules, double seconds) {
    }

    public static void main(String[] args) throws Exception {
        Path root = Paths.get(args[0]);
        int budget = Integer.parseInt(args[1]);
        String strategy = args.length > 2 ? args[2] : "pct:2";
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        List<Path> variants;
        try (Stream<Path> s = Files.list(root)) {
            variants = s.filter(Files::isDirectory).sorted().collect(Collectors.toList());
        }
        System.out.println("| variant | finding | directed: mean schedules | mean time (s) | undirected: mean schedules"
                + " | mean time (s) |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        List<Double> directedTimes = new ArrayList<>();
        List<Integer> directedSchedules = new ArrayList<>();
        List<Integer> undirectedSchedules = new ArrayList<>();
        int findings = 0;
        int confirmed = 0;
        for (Path v : variants) {
            List<Finding> fs = Analyzer.run(List.of(v), List.of(), Rules.all()).findings().stream()
                    .filter(f -> !f.suppressed()).collect(Collectors.toList());
            if (fs.isEmpty()) {
                continue;
            }
            try {
                DriverImage.compile(v);
            } catch (DriverImage.NoDriverException e) {
                // no simulated device binds it (or no driver): validation leaves its findings not-validated
                continue;
            }
            Goal goal = Validator.goal(fs);
            List<Map<String, Shown>> directed = new ArrayList<>();
            List<Map<String, Shown>> undirected = new ArrayList<>();
            for (int rep = 0; rep < repeats; rep++) {
                directed.add(search(v, goal, strategy, budget, true, 1 + 1000L * rep));
                undirected.add(search(v, goal, strategy, budget, false, 1 + 1000L * rep));
            }
            for (Finding f : fs) {
                String key = key(f.ruleId(), f.location().file(), f.location().line());
                findings += repeats;
                double[] d = mean(directed, key);
                double[] u = mean(undirected, key);
                for (Map<String, Shown> run : directed) {
                    Shown x = run.get(key);
                    directedSchedules.add(x == null ? Integer.MAX_VALUE : x.schedules());
                    if (x != null) {
                        confirmed++;
                        directedTimes.add(x.seconds());
                    }
                }
                for (Map<String, Shown> run : undirected) {
                    Shown x = run.get(key);
                    undirectedSchedules.add(x == null ? Integer.MAX_VALUE : x.schedules());
                }
                System.out.printf("| %s | %s:%d | %s | %s | %s | %s |%n", v.getFileName(), f.ruleId(),
                        f.location().line(), d == null ? "not in " + budget : String.format("%.1f", d[0]),
                        d == null ? "-" : String.format("%.2f", d[1]), u == null ? "not in " + budget
                                : String.format("%.1f", u[0]), u == null ? "-" : String.format("%.2f", u[1]));
            }
        }
        System.out.println();
        System.out.printf("confirmed: %d of %d searches for the static findings of the drivers under %s (directed, %s,"
                + " at most %d schedules, %d runs each)%n", confirmed, findings, root, strategy, budget, repeats);
        System.out.printf("time to confirm (directed): median %.2f s, max %.2f s%n", median(directedTimes),
                directedTimes.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        System.out.printf("schedules to confirm: directed median %s, max %s; undirected median %s, max %s%n",
                show(medianInt(directedSchedules)), show(max(directedSchedules)), show(medianInt(undirectedSchedules)),
                show(max(undirectedSchedules)));
    }

    /** When each goal violation first showed, by {@link #key}. */
    private static Map<String, Shown> search(Path driver, Goal goal, String strategy, int budget, boolean directed,
            long firstSeed) throws Exception {
        long start = System.nanoTime();
        DriverImage image = DriverImage.compile(driver);
        KernelConfig config = KernelConfig.defaults().withFaultRate(0.05);
        Exploration e = directed ? Exploration.of(strategy).directed() : Exploration.of(strategy);
        Map<String, Shown> shown = new HashMap<>();
        for (int i = 0; i < budget && !shownAll(shown, goal); i++) {
            Simulation.Report r = Simulation.run(image, config, e, 1, firstSeed + i, directed ? goal : null);
            double seconds = (System.nanoTime() - start) / 1e9;
            for (Violation x : r.violations().values()) {
                if (x.file() != null) {
                    shown.putIfAbsent(key(x.rule(), x.file(), x.line()), new Shown(i + 1, seconds));
                }
            }
        }
        return shown;
    }

    private static boolean shownAll(Map<String, Shown> shown, Goal goal) {
        return goal.targets().stream().allMatch(t -> shown.containsKey(key(t.rule(), t.file(), t.line())));
    }

    /** The mean schedules and seconds of the runs that showed the finding, or null when none did. */
    private static double[] mean(List<Map<String, Shown>> runs, String key) {
        List<Shown> xs = runs.stream().map(r -> r.get(key)).filter(java.util.Objects::nonNull)
                .collect(Collectors.toList());
        if (xs.size() < runs.size()) {
            return null;
        }
        return new double[] {xs.stream().mapToInt(Shown::schedules).average().orElse(0),
            xs.stream().mapToDouble(Shown::seconds).average().orElse(0)};
    }

    private static String key(String rule, String file, int line) {
        return rule + " " + Paths.get(file).toAbsolutePath().normalize() + ":" + line;
    }

    private static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().collect(Collectors.toList());
        return s.isEmpty() ? 0 : s.get((s.size() - 1) / 2);
    }

    private static int medianInt(List<Integer> xs) {
        List<Integer> s = xs.stream().sorted().collect(Collectors.toList());
        return s.isEmpty() ? 0 : s.get((s.size() - 1) / 2);
    }

    private static int max(List<Integer> xs) {
        return xs.stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    private static String show(int n) {
        return n == Integer.MAX_VALUE ? "not found" : String.valueOf(n);
    }
}
