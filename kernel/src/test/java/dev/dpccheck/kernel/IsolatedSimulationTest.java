package dev.dpccheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The child JVM as the second line of defence: with the allow list switched off, a driver that
 * ends or halts the child, or outlives the run's deadline, still ends in a reported outcome, never
 * in a clean run. The channel ignores whatever does not carry the run's nonce.
 */
@Timeout(120)
class IsolatedSimulationTest {
    private static final Path HOSTILE = Paths.get("..", "testdata", "hostile");
    private static final IsolatedSimulation.Limits LIMITS = new IsolatedSimulation.Limits(128, 60_000, 5_000);

    private static IsolatedSimulation.Outcome unverified(String driver, IsolatedSimulation.Limits limits)
            throws Exception {
        return IsolatedSimulation.runUnverified(HOSTILE.resolve(driver), null, KernelConfig.defaults(), 3, 1, limits);
    }

    @Test
    void theReferenceDriverRunsCleanInTheChild() throws Exception {
        IsolatedSimulation.Outcome o = IsolatedSimulation.run(DriverCorpusTest.DRIVERS.resolve("uart"), null,
                KernelConfig.defaults(), 3, 1, LIMITS);
        assertEquals(IsolatedSimulation.Status.RAN, o.status(), o.message());
        assertEquals("uart", o.driver());
        assertEquals(3, o.report().schedules().size());
        assertTrue(o.report().violations().isEmpty(), o.report().violations().toString());
        assertTrue(o.report().bytesVerified() > 0);
        assertNull(o.report().stopped());
    }

    @Test
    void systemExitInDriverCodeIsAViolationAtItsLine() throws Exception {
        IsolatedSimulation.Outcome o = unverified("exit-in-driver-entry", LIMITS);
        assertEquals(IsolatedSimulation.Status.RAN, o.status(), o.message());
        Violation v = o.report().violations().values().iterator().next();
        assertEquals("DriverTerminatedSimulation", v.rule());
        assertEquals(HOSTILE.resolve("exit-in-driver-entry/NullDiskDriver.java") + ":27", v.location());
        assertEquals(1, o.report().violations().size(), o.report().violations().toString());
        assertNotNull(o.report().stopped());
        assertTrue(o.report().stopped().contains("exit status 0 during schedule 1; 0 of 3 schedules ran"),
                o.report().stopped());
    }

    @Test
    void haltInADpcIsAViolationOfTheRun() throws Exception {
        IsolatedSimulation.Outcome o = unverified("halt-in-dpc", LIMITS);
        assertEquals(IsolatedSimulation.Status.RAN, o.status(), o.message());
        Violation v = o.report().violations().values().iterator().next();
        assertEquals("DriverTerminatedSimulation", v.rule());
        assertEquals("<run>", v.location());
        assertTrue(v.message().contains("exit status 1 during schedule 1"), v.message());
        assertTrue(o.report().stopped().contains("0 of 3 schedules ran"), o.report().stopped());
    }

    @Test
    void aChildPastTheDeadlineIsStoppedAndSaysSo() throws Exception {
        IsolatedSimulation.Outcome o = IsolatedSimulation.run(HOSTILE.resolve("busy-loop-in-jdk"), null,
                KernelConfig.defaults(), 3, 1, new IsolatedSimulation.Limits(128, 4_000, 60_000));
        assertEquals(IsolatedSimulation.Status.RAN, o.status(), o.message());
        assertEquals("the run reached its time limit of 4 s (--timeout) during schedule 1; 0 of 3 schedules ran",
                o.report().stopped());
    }

    @Test
    void aRefusedDriverIsNotRun() throws Exception {
        IsolatedSimulation.Outcome o = IsolatedSimulation.run(HOSTILE.resolve("own-thread"), null,
                KernelConfig.defaults(), 3, 1, LIMITS);
        assertEquals(IsolatedSimulation.Status.REFUSED, o.status());
        assertEquals(2, o.message().lines().count(), o.message());
        assertTrue(o.message().startsWith(HOSTILE.resolve("own-thread/NullDiskDriver.java") + ":40: error: "
                + "'java.lang.Thread' is not available to a driver"), o.message());
    }

    @Test
    void framesCarryTheirFieldsAndTheNonce() {
        String line = Channel.encode("n0nce", "violation", "Rule", "tab\there\nnewline \\ back", null, 7);
        Channel.Frame f = Channel.decode("n0nce", line);
        assertEquals("violation", f.type());
        assertEquals(Arrays.asList("Rule", "tab\there\nnewline \\ back", null, "7"), f.fields());
        assertEquals(1, line.lines().count());
        assertNull(Channel.decode("other", line));
        assertNull(Channel.decode("n0nce", "n0nce"));
        assertEquals(List.of(), Channel.decode("n0nce", "n0nce\tdone").fields());
    }
}
