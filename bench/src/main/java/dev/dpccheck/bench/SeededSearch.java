package dev.dpccheck.bench;

import dev.dpccheck.kernel.DriverImage;
import dev.dpccheck.kernel.Exploration;
import dev.dpccheck.kernel.KernelConfig;
import dev.dpccheck.kernel.Simulation;
import dev.dpccheck.kernel.Violation;
import dev.dpccheck.kernel.verifier.Markers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Schedules to find each seeded variant, per strategy: for every variant under a directory of
 * seeded drivers and every strategy named, runs schedules 1, 2, ... (seeds 1, 2, ..., fault rate
 * 0.05, as DriverCorpusTest does) until every {@code (confirmed)} expectation of the variant (and every
 * {@code // expect-run:} marker) has been seen, or the budget is spent. Prints a Markdown table and
 * each strategy's median; asserts nothing.
 *
 * <pre>java -cp ... dev.dpccheck.bench.SeededSearch testdata/drivers/seeded 1000 pct:2 pos random</pre>
 */
public final class SeededSearch {
    private SeededSearch() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Paths.get(args[0]);
        int budget = Integer.parseInt(args[1]);
        List<String> strategies = Arrays.asList(args).subList(2, args.length);
        List<Path> variants;
        try (Stream<Path> s = Files.list(root)) {
            variants = s.filter(Files::isDirectory).sorted().collect(Collectors.toList());
        }
        System.out.println("| variant | markers | " + String.join(" | ", strategies) + " |");
        System.out.println("|---|---:|" + "---:|".repeat(strategies.size()));
        List<List<Integer>> found = new ArrayList<>();
        strategies.forEach(x -> found.add(new ArrayList<>()));
        for (Path v : variants) {
            Set<String> expected = markers(v);
            DriverImage image = DriverImage.compile(v);
            StringBuilder row = new StringBuilder("| " + v.getFileName() + " | " + expected.size() + " |");
            for (int i = 0; i < strategies.size(); i++) {
                long start = System.nanoTime();
                int n = search(image, expected, Exploration.of(strategies.get(i)), budget);
                double seconds = (System.nanoTime() - start) / 1e9;
                found.get(i).add(n < 0 ? Integer.MAX_VALUE : n);
                row.append(String.format(" %s (%.1f s) |", n < 0 ? "not in " + budget : String.valueOf(n), seconds));
            }
            System.out.println(row);
        }
        StringBuilder median = new StringBuilder("| median | |");
        for (List<Integer> f : found) {
            List<Integer> sorted = f.stream().sorted().collect(Collectors.toList());
            int m = sorted.get((sorted.size() - 1) / 2);
            median.append(" ").append(m == Integer.MAX_VALUE ? "not found" : String.valueOf(m)).append(" |");
        }
        System.out.println(median);
    }

    /** The schedules it took to see every marker, or -1 when the budget ran out first. */
    private static int search(DriverImage image, Set<String> expected, Exploration e, int budget) {
        Set<String> seen = new TreeSet<>();
        KernelConfig config = KernelConfig.defaults().withFaultRate(0.05);
        for (int ran = 1; ran <= budget; ran++) {
            Simulation.Report r = Simulation.run(image, config, e, 1, ran);
            if (r.schedules().isEmpty()) {
                return -1;
            }
            for (Violation x : r.violations().values()) {
                seen.add(x.file() == null ? "run:" + x.rule() : Paths.get(x.file()).getFileName() + ":" + x.line() + ":" + x.rule());
            }
            if (seen.containsAll(expected)) {
                return ran;
            }
        }
        return -1;
    }

    private static Set<String> markers(Path dir) throws IOException {
        return Markers.runtimeExpectations(Markers.of(dir));
    }
}
