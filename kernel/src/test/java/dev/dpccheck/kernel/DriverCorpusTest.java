package dev.dpccheck.kernel;

import dev.dpccheck.kernel.verifier.Markers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the drivers of testdata/drivers in the kernel: the reference drivers must run clean with
 * every byte verified (60 schedules of a random walk, {@link #REFERENCE_PCT_SCHEDULES} of PCT, at
 * fault rate 0.1), and every seeded variant must be reported at exactly the lines its
 * {@code // expect: RuleId (confirmed)} markers name, and at no other line, within {@link #SEEDED_SCHEDULES}
 * schedules of PCT at fault rate {@link #SEEDED_FAULT_RATE} (the rate makes the error paths run);
 * the run stops at the first schedule by which every marker was seen. Violations of the whole run
 * that no line commits (a stalled queue, IRPs never completed) may follow from a seeded defect and
 * are not matched against markers, except that a {@code // expect-run: RuleId} marker (a defect
 * whose only consequence is a stall) must be among them.
 */
class DriverCorpusTest {
    static final Path DRIVERS = Paths.get("..", "testdata", "drivers");
    static final int SEEDED_SCHEDULES = 1000;
    static final double SEEDED_FAULT_RATE = 0.05;
    /** The reference drivers must pass this many schedules of PCT (depth 2) with no violation. */
    static final int REFERENCE_PCT_SCHEDULES = 1000;

    @TestFactory
    Stream<DynamicTest> referenceDriversRunCleanWithFaultsOnTwoCpus() throws IOException {
        List<Path> drivers = directories(DRIVERS);
        drivers.remove(DRIVERS.resolve("seeded"));
        assertEquals(List.of("dmadisk", "uart"), drivers.stream().map(p -> p.getFileName().toString())
                .collect(Collectors.toList()));
        return drivers.stream().map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> {
            DriverImage image = DriverImage.compile(d);
            for (Exploration e : List.of(Exploration.random(), Exploration.pct(2))) {
                Simulation.Report r = Simulation.run(image, KernelConfig.defaults().withFaultRate(0.1), e,
                        e.name().equals("random") ? 60 : REFERENCE_PCT_SCHEDULES, 100);
                assertEquals(List.of(), List.copyOf(r.violations().values()), e.name());
                assertEquals(r.irpsIssued(), r.irpsCompleted());
                assertTrue(r.bytesVerified() > 0, "no byte was verified");
            }
        }));
    }

    private static List<Path> directories(Path parent) throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            return s.filter(Files::isDirectory).sorted().collect(Collectors.toList());
        }
    }

    @TestFactory
    Stream<DynamicTest> seededVariantsAreFoundAtTheirMarkersUnderPct() throws IOException {
        List<Path> variants = directories(DRIVERS.resolve("seeded"));
        assertTrue(!variants.isEmpty());
        return variants.stream().map(v -> DynamicTest.dynamicTest(v.getFileName().toString(), () -> {
            Set<String> expected = markers(v);
            assertTrue(!expected.isEmpty(), v + " has no expect marker");
            DriverImage image = DriverImage.compile(v);
            Exploration pct = Exploration.pct(2);
            Set<String> actual = new TreeSet<>();
            int ran = 0;
            while (ran < SEEDED_SCHEDULES && !actual.containsAll(expected)) {
                Simulation.Report r = Simulation.run(image, KernelConfig.defaults().withFaultRate(SEEDED_FAULT_RATE),
                        pct, 1, 1 + ran);
                ran++;
                for (Violation x : r.violations().values()) {
                    if (x.file() == null) {
                        assertEquals("-", x.routine(), "a violation in a routine without a source line: " + x);
                        if (expected.contains("run:" + x.rule())) {
                            actual.add("run:" + x.rule());
                        }
                        continue;
                    }
                    actual.add(Paths.get(x.file()).getFileName() + ":" + x.line() + ":" + x.rule());
                }
            }
            assertEquals(expected, actual, "violations of " + v + " in " + ran + " schedules");
            System.out.println(v.getFileName() + ": every marker seen by schedule " + ran);
        }));
    }

    private static Set<String> markers(Path dir) throws IOException {
        return Markers.runtimeExpectations(Markers.of(dir));
    }
}
