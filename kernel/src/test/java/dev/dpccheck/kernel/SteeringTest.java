package dev.dpccheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workload bent toward a goal ({@link Steering}): where scheduling alone cannot reach a
 * finding, because no request is ever cancelled while queued, or no allocation fails where it
 * must.
 */
class SteeringTest {
    private static final Path CORPUS = DriverCorpusTest.DRIVERS.getParent().resolve("corpus");
    /** A serial driver whose cancel routine for queued requests completes them without a status. */
    private static final Path CANCEL = CORPUS.resolve("serial16550-cancel-pending");
    private static final Path ERRLOG = CORPUS.resolve("serial16550-errlog-unchecked");
    private static final KernelConfig CONFIG = KernelConfig.defaults().withFaultRate(0.05);

    private static Goal goal(Path driver, String rule, int line) {
        return new Goal(List.of(new Goal.Target(rule, driver.resolve("SerialDriver.java").toString(), line)), Map.of());
    }

    /** The line in the cancel routine of queued requests, as its marker names it. */
    private static int queuedCancelLine() throws Exception {
        List<String> lines = Files.readAllLines(CANCEL.resolve("SerialDriver.java"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("// expect: IoStatusNotSet")) {
                return i + 1;
            }
        }
        throw new AssertionError("no IoStatusNotSet marker in " + CANCEL);
    }

    private static boolean entered(Simulation.Report r, String method) {
        return r.coverage().stream().anyMatch(c -> c.method().equals(method) && c.entered());
    }

    @Test
    void aGoalInACancelRoutineCancelsMoreOftenAndKeepsTwoRequestsInFlight() throws Exception {
        DriverImage image = DriverImage.compile(CANCEL);
        Steering s = Steering.toward(image, image.focus(goal(CANCEL, "CompleteWithPendingStatus", queuedCancelLine())));
        assertEquals(Steering.CANCEL_ONE_IN_STEERED, s.cancelOneIn());
        assertEquals(Steering.OVERLAP_STEERED, s.overlap());
        assertTrue(s.refuseIn().stream().anyMatch(m -> m.contains(".SerialCancelQueued(")), s.refuseIn().toString());
        // a goal in a dispatch routine leaves cancellation and overlap alone, and refuses only there
        List<String> source = Files.readAllLines(CANCEL.resolve("SerialDriver.java"));
        int readLine = source.indexOf(source.stream().filter(l -> l.contains("int SerialRead(")).findFirst()
                .orElseThrow()) + 3;
        Steering read = Steering.toward(image, image.focus(goal(CANCEL, "X", readLine)));
        assertEquals(IoManager.CANCEL_ONE_IN, read.cancelOneIn());
        assertEquals(1, read.overlap());
        assertEquals(1, read.refuseIn().size(), read.refuseIn().toString());
        assertTrue(Steering.toward(image, null).isNone());
    }

    @Test
    void steeringReachesTheCancelRoutineOfQueuedRequestsThatTheDefaultWorkloadNeverEnters() throws Exception {
        DriverImage image = DriverImage.compile(CANCEL);
        Goal goal = goal(CANCEL, "CompleteWithPendingStatus", queuedCancelLine());
        Simulation.Report plain = Simulation.run(image, CONFIG, Exploration.pct(2), 20, 1);
        assertFalse(entered(plain, "SerialDriver.SerialCancelQueued"),
                "one writer and one reader that wait for each request never queue one behind another");
        Simulation.Report steered = Simulation.run(image, CONFIG, Exploration.pct(2), 20, 1, goal);
        assertTrue(entered(steered, "SerialDriver.SerialCancelQueued"), steered.coverage().toString());
        assertTrue(steered.violations().values().stream().anyMatch(goal::wants), steered.violations().keySet().toString());
    }

    @Test
    void aSteeredScheduleIsTracedWithItsSteeringAndReplaysExactly(@TempDir Path dir) throws Exception {
        DriverImage image = DriverImage.compile(CANCEL);
        Goal goal = goal(CANCEL, "CompleteWithPendingStatus", queuedCancelLine());
        Simulation.Report r = Simulation.run(image, CONFIG, Exploration.pct(2).directed(), 20, 1, Long.MAX_VALUE, null,
                false, null, dir, goal);
        Violation v = r.violations().values().stream().filter(goal::wants).findFirst().orElseThrow();
        Path trace = dir.resolve(Trace.fileName(v));
        Trace.Recorded recorded = Trace.read(trace);
        assertFalse(recorded.header().steering().isNone(), "the schedule that showed it was steered");
        Replay.Result replay = Replay.run(image, recorded);
        assertEquals(null, replay.divergence());
        assertTrue(replay.reproduced(), replay.violations().toString());
    }

    @Test
    void allocationsFailInsideTheGoalsMethodsOnlyWhenFaultsAreOn() throws Exception {
        DriverImage image = DriverImage.compile(ERRLOG);
        int line = -1;
        List<String> lines = Files.readAllLines(ERRLOG.resolve("SerialDriver.java"));
        for (int i = 0; i < lines.size() && line < 0; i++) {
            if (lines.get(i).contains("// expect: ErrorLogEntryUnchecked")) {
                line = i + 1;
            }
        }
        Goal goal = goal(ERRLOG, "ErrorLogEntryUnchecked", line);
        Simulation.Report steered = Simulation.run(image, CONFIG, Exploration.pct(2), 8, 1, goal);
        assertTrue(steered.violations().values().stream().anyMatch(goal::wants), steered.violations().keySet().toString());
        Simulation.Report noFaults = Simulation.run(image, CONFIG.withFaultRate(0), Exploration.pct(2), 8, 1, goal);
        assertFalse(noFaults.violations().values().stream().anyMatch(goal::wants), noFaults.violations().keySet().toString());
    }
}
