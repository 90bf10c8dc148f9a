package dev.dpccheck.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpccheck.analyzer.Analyzer;
import dev.dpccheck.analyzer.findings.Finding;
import dev.dpccheck.analyzer.findings.Notification;
import dev.dpccheck.analyzer.findings.Validation;
import dev.dpccheck.analyzer.validate.Validator;
import dev.dpccheck.kernel.Trace;
import dev.dpccheck.kernel.Violation;
import dev.dpccheck.kernel.verifier.Markers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code (confirmed)} markers, checked the way a user meets them: {@code audit --validate} of
 * each seeded driver (200 schedules of PCT, seed 1, fault rate 0.05, in a child JVM) marks every
 * finding whose marker says {@code (confirmed)} {@code confirmed}, and shows every runtime-only
 * {@code (confirmed)} rule as a finding {@code found-by-simulation}; nothing is shown that no marker
 * expects at a line (a stall of the whole run that follows from the defect may show beside it); every
 * finding shown comes with a trace whose violation is that rule at that line. The reference
 * drivers give no finding of either kind.
 */
class ValidationConformanceTest {
    private static final Path DRIVERS = ConformanceTest.TESTDATA.resolve("drivers");

    @TempDir
    Path traces;

    private Analyzer.Result validated(Path driver) throws Exception {
        List<Path> paths = List.of(driver);
        Analyzer.Result r = Analyzer.run(paths, List.of(), Rules.all());
        return Validator.validate(r, paths, new Validator.Options("pct:2", 200, 1, Long.MAX_VALUE, 0.05, traces, null));
    }

    @Test
    void everyConfirmedMarkerOfASeededDriverIsShownAndNothingElse() throws Exception {
        Set<String> staticIds = Rules.all().stream().map(r -> r.info().id()).collect(Collectors.toSet());
        List<Path> variants;
        try (Stream<Path> s = Files.list(DRIVERS.resolve("seeded"))) {
            variants = s.filter(Files::isDirectory).sorted().collect(Collectors.toList());
        }
        List<String> problems = new ArrayList<>();
        int confirmed = 0;
        for (Path v : variants) {
            Set<String> wantConfirmed = new TreeSet<>();
            Set<String> wantFound = new TreeSet<>();
            Set<String> wantRun = new TreeSet<>();
            for (Markers.Marker m : Markers.of(v)) {
                if (m.kind() == Markers.Kind.EXPECT_RUN) {
                    wantRun.add(m.rule());
                } else if (m.confirmed() && m.kind() == Markers.Kind.EXPECT && staticIds.contains(m.rule())) {
                    wantConfirmed.add(m.key());
                } else if (m.confirmed()) {
                    wantFound.add(m.key());
                }
            }
            Analyzer.Result r = validated(v);
            Set<String> gotConfirmed = new TreeSet<>();
            Set<String> gotFound = new TreeSet<>();
            for (Finding f : r.findings()) {
                String key = Path.of(f.location().file()).getFileName() + ":" + f.location().line() + ":" + f.ruleId();
                Validation val = f.validation();
                if (val.status() == Validation.Status.CONFIRMED || val.status() == Validation.Status.FOUND_BY_SIMULATION) {
                    (val.status() == Validation.Status.CONFIRMED ? gotConfirmed : gotFound).add(key);
                    Trace.Recorded t = Trace.read(Path.of(val.trace()));
                    Violation first = t.violations().get(0);
                    if (!first.rule().equals(f.ruleId()) || first.line() != f.location().line()) {
                        problems.add(v.getFileName() + ": the trace of " + key + " shows " + first.rule() + " at line "
                                + first.line() + " first");
                    }
                }
            }
            Set<String> gotRun = r.notifications().stream().map(Notification::message)
                    .filter(m -> m.startsWith("simulation: ")).map(m -> m.substring(12, m.indexOf(':', 12)))
                    .collect(Collectors.toCollection(TreeSet::new));
            compare(problems, v, "confirmed", wantConfirmed, gotConfirmed);
            compare(problems, v, "found by simulation", wantFound, gotFound);
            // a stall the defect leads to (a deadlock, a queue that never moves) may show beside it
            for (String w : wantRun) {
                if (!gotRun.contains(w)) {
                    problems.add(v.getFileName() + ": not shown for the whole run: " + w);
                }
            }
            confirmed += gotConfirmed.size();
        }
        assertEquals(List.of(), problems, String.join("\n", problems));
        assertTrue(confirmed >= variants.size(), "at least one finding confirmed per seeded driver: " + confirmed);
    }

    private static void compare(List<String> problems, Path variant, String what, Set<String> want, Set<String> got) {
        for (String w : want) {
            if (!got.contains(w)) {
                problems.add(variant.getFileName() + ": not " + what + ": " + w);
            }
        }
        for (String g : got) {
            if (!want.contains(g)) {
                problems.add(variant.getFileName() + ": " + what + " without a marker: " + g);
            }
        }
    }

    @Test
    void theReferenceDriversGiveNoFindingOfEitherKind() throws Exception {
        for (String driver : List.of("dmadisk", "uart")) {
            Analyzer.Result r = validated(DRIVERS.resolve(driver));
            assertEquals(List.of(), r.findings(), driver);
            assertEquals(List.of(), r.notifications(), driver);
        }
    }
}
