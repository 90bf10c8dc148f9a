package dev.dpccheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpccheck.kernel.verifier.Markers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A search directed at predicted violations ({@link Goal}): where it looks, when it ends, what it counts. */
class GoalTest {
    private static final Path VARIANT = DriverCorpusTest.DRIVERS.resolve("seeded").resolve("start-next-too-early");
    private static final KernelConfig CONFIG = KernelConfig.defaults().withFaultRate(0.05);

    /** The variant's marked StartNextPacketTooEarly, as the static finding names it. */
    private static Goal.Target target() throws Exception {
        Markers.Marker m = Markers.of(VARIANT).stream().filter(x -> x.rule().equals("StartNextPacketTooEarly"))
                .findFirst().orElseThrow();
        return new Goal.Target(m.rule(), m.file().toString(), m.line());
    }

    private static List<Long> digests(Simulation.Report r) {
        return r.schedules().stream().map(ScheduleResult::choiceDigest).collect(Collectors.toList());
    }

    @Test
    void aDirectedSearchEndsOnceEveryTargetHasShownAndATenthOfTheBudgetHasRun() throws Exception {
        Goal goal = new Goal(List.of(target()), Map.of());
        DriverImage image = DriverImage.compile(VARIANT);
        Simulation.Report r = Simulation.run(image, CONFIG, Exploration.pct(2), 200, 1, goal);
        assertTrue(r.violations().values().stream().anyMatch(goal::wants), r.violations().keySet().toString());
        assertEquals(20, r.schedules().size(), r.ended());
        assertTrue(r.ended().startsWith("every predicted violation was shown after 20 schedules"), r.ended());
        // the same goal and seed: the same schedules
        assertEquals(digests(r), digests(Simulation.run(image, CONFIG, Exploration.pct(2), 200, 1, goal)));
    }

    @Test
    void everyStrategyCanBeDirected() throws Exception {
        Goal goal = new Goal(List.of(target()), Map.of());
        DriverImage image = DriverImage.compile(VARIANT);
        assertEquals("pct:2 directed", Exploration.pct(2).directed().name());
        assertEquals("pos directed", Exploration.pos().directed().name());
        assertEquals("random", Exploration.random().directed().name());
        Simulation.Report pos = Simulation.run(image, CONFIG, Exploration.pos(), 50, 1, goal);
        assertTrue(pos.violations().values().stream().anyMatch(goal::wants), pos.violations().keySet().toString());
        assertEquals(digests(pos), digests(Simulation.run(image, CONFIG, Exploration.pos(), 50, 1, goal)));
    }

    @Test
    void aGoalNoScheduleCanShowSpendsTheWholeBudget() throws Exception {
        Goal.Target t = target();
        Goal goal = new Goal(List.of(new Goal.Target("DoubleCompletion", t.file(), t.line())), Map.of());
        Simulation.Report r = Simulation.run(DriverImage.compile(VARIANT), CONFIG, Exploration.pct(2), 30, 1, goal);
        assertEquals(30, r.schedules().size());
        assertEquals(null, r.ended());
    }

    @Test
    void lineProbesCountTheGoalsLinesWithoutChangingTheSchedules() throws Exception {
        Goal.Target t = target();
        Goal goal = new Goal(List.of(t), Map.of());
        DriverImage probed = DriverImage.compile(VARIANT, null, n -> false, goal);
        DriverImage plain = DriverImage.compile(VARIANT);
        Simulation.Report withProbes = Simulation.run(probed, CONFIG, Exploration.pct(2), 5, 1);
        Simulation.Report without = Simulation.run(plain, CONFIG, Exploration.pct(2), 5, 1);
        // a probe is not a scheduling point: the same seeds take the same decisions
        assertEquals(digests(without), digests(withProbes));
        assertEquals(List.of(), without.lines());
        assertEquals(1, withProbes.lines().size(), withProbes.lines().toString());
        DriverImage.LineCoverage line = withProbes.lines().get(0);
        assertEquals(t.file(), line.file());
        assertEquals(t.line(), line.line());
        assertEquals(5, line.schedules());
        assertTrue(line.hits() >= 5, line.toString());
    }

    @Test
    void theFocusHoldsTheMethodsOfTheGoalsLinesAndTheFieldsAccessedThere() throws Exception {
        Goal.Target t = target();
        DriverImage image = DriverImage.compile(VARIANT);
        Goal.Focus focus = image.focus(new Goal(List.of(t), Map.of()));
        List<String> methods = focus.methods.stream().mapToObj(image::methodName).collect(Collectors.toList());
        assertEquals(List.of("DmaDiskDriver.DpcForIsr"), methods);
        // the marked line is a call: it touches no field of its own
        assertTrue(focus.fields.isEmpty(), focus.fields.toString());
        Goal.Focus none = image.focus(new Goal(List.of(new Goal.Target("X", t.file(), 1)), Map.of()));
        assertTrue(none.isEmpty());
        // a witness line that reads the transfer's context puts that field in focus, wherever else it is touched
        Goal.Focus reads = image.focus(new Goal(List.of(t), Map.of(t.file(), List.of(t.line() + 2))));
        List<String> fields = reads.fields.stream().mapToObj(image::fieldSimpleName).collect(Collectors.toList());
        assertTrue(fields.contains("BytesDone"), fields.toString());
    }

    @Test
    void aGoalSurvivesTheChannel() throws Exception {
        Goal.Target t = target();
        Goal goal = new Goal(List.of(t), Map.of(t.file(), List.of(t.line() + 2, t.line())));
        assertEquals(goal.text(), Goal.parse(goal.text()).text());
        assertEquals(List.of(t), Goal.parse(goal.text()).targets());
    }
}
