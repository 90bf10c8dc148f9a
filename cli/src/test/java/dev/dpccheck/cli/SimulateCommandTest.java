package dev.dpccheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code dpccheck simulate} end to end: its output and its exit codes. */
class SimulateCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void aCleanDriverExitsZeroWithItsSummary() {
        int code = run("simulate", "--schedules", "3", "../testdata/drivers/uart");
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().startsWith("uart: 3 schedules on 2 CPUs, random, seeds 1..3, fault rate 0.0\n"),
                out.toString());
        assertTrue(out.toString().contains("\n0 violations\n"), out.toString());
    }

    @Test
    void aSeededDefectExitsOneNamingRuleAndLine() throws Exception {
        Path variant = Path.of("../testdata/drivers/seeded/double-completion");
        int code = run("simulate", "--schedules", "2", variant.toString());
        assertEquals(1, code, err.toString());
        int line = 0;
        for (String l : Files.readAllLines(variant.resolve("DmaDiskDriver.java"))) {
            line++;
            if (l.contains("expect: DoubleCompletion")) {
                break;
            }
        }
        assertTrue(out.toString().contains(variant.resolve("DmaDiskDriver.java") + ":" + line
                + ": violation [DoubleCompletion] "), out.toString());
    }

    @Test
    void aPathWithoutADriverExitsTwoWithOneSentence() throws Exception {
        Files.writeString(dir.resolve("Plain.java"), "class Plain { }");
        assertEquals(2, run("simulate", dir.toString()));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("dpccheck: '"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void aDriverThatDoesNotCompileExitsTwoWithTheDiagnostics() throws Exception {
        Files.writeString(dir.resolve("Broken.java"), "class Broken { int f() { return missing; } }");
        assertEquals(2, run("simulate", dir.toString()));
        assertTrue(err.toString().contains("Broken.java:1: error: cannot find symbol"), err.toString());
        assertTrue(err.toString().contains("does not compile"), err.toString());
    }

    @Test
    void aBadOptionValueExitsTwo() {
        assertEquals(2, run("simulate", "--faults", "2", "../testdata/drivers/uart"));
        assertTrue(err.toString().contains("--faults 0..1"), err.toString());
    }

    @Test
    void optionsOutOfRangeExitTwoWithOneSentenceEach() {
        String[][] bad = {
            {"--faults", "NaN"}, {"--requests", "2147483647"}, {"--threads", "0"}, {"--cpus", "65"},
            {"--schedules", "0"}, {"--memory", "10"}, {"--timeout", "0s"}, {"--timeout", "soon"},
            {"--schedule-timeout", "-1"}, {"--strategy", "pct:9"}, {"--strategy", "bogus"}, {"--strategy", "pos:2"},
            {"--points", "all"}, {"--time-budget", "0s"}};
        for (String[] b : bad) {
            StringWriter e = new StringWriter();
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(new StringWriter()));
            cli.setErr(new PrintWriter(e));
            assertEquals(2, cli.execute("simulate", b[0], b[1], "../testdata/drivers/uart"), String.join(" ", b));
            assertTrue(e.toString().contains(b[0]), String.join(" ", b) + ": " + e);
        }
    }

    @Test
    void aTraceOfTheFirstViolatingScheduleReplaysExactly() throws Exception {
        Path variant = Path.of("../testdata/drivers/seeded/double-completion");
        Path trace = dir.resolve("dc.trace");
        int code = run("simulate", "--schedules", "5", "--strategy", "pct:2", "--trace", trace.toString(), variant.toString());
        assertEquals(1, code, err.toString());
        assertTrue(out.toString().contains("trace of the first violating schedule written to " + trace), out.toString());
        assertTrue(Files.readString(trace).startsWith("dpccheck-trace\t1\ntool\t" + Main.VERSION + "\n"));

        out.getBuffer().setLength(0);
        code = run("replay", trace.toString());
        assertEquals(1, code, err.toString());
        String printed = out.toString();
        assertTrue(printed.startsWith("replay of " + trace + ": double-completion, pct:2, "), printed);
        assertTrue(printed.matches("(?s).*\\n +\\d+ +\\d+ +CPU[01]: System: enters DriverEntry at PASSIVE_LEVEL\\n.*"), printed);
        assertTrue(printed.contains(": calls IoCompleteRequest(Irp#"), printed);
        // the trace locates its violations relative to the driver's directory
        assertTrue(printed.contains("\nreplayed exactly: the same violation, DoubleCompletion at DmaDiskDriver.java:"), printed);
    }

    @Test
    void everyScheduleIsTracedOnRequestAndEachReplays() throws Exception {
        Path traces = dir.resolve("traces");
        assertEquals(0, run("simulate", "--schedules", "2", "--seed", "7", "--strategy", "pos", "--trace-every", traces.toString(),
                "../testdata/drivers/uart"), err.toString());
        try (var files = Files.list(traces)) {
            assertEquals(java.util.List.of("schedule-7.trace", "schedule-8.trace"),
                    files.map(f -> f.getFileName().toString()).sorted().collect(java.util.stream.Collectors.toList()));
        }
        out.getBuffer().setLength(0);
        assertEquals(0, run("replay", traces.resolve("schedule-8.trace").toString()), err.toString());
        assertTrue(out.toString().contains("\nreplayed exactly: no violation, as recorded\n"), out.toString());
    }

    @Test
    void aCleanRunWritesNoTrace() {
        Path trace = dir.resolve("none.trace");
        assertEquals(0, run("simulate", "--schedules", "2", "--trace", trace.toString(), "../testdata/drivers/uart"));
        assertTrue(out.toString().contains("no schedule showed a violation: no trace written to " + trace), out.toString());
        assertTrue(!Files.exists(trace));
    }

    @Test
    void aFileThatIsNotATraceOfThisVersionExitsTwoWithOneSentence() throws Exception {
        Path junk = dir.resolve("junk.trace");
        Files.writeString(junk, "not a trace\n");
        assertEquals(2, run("replay", junk.toString()));
        assertEquals("dpccheck: '" + junk + "' is not a dpccheck trace.\n", err.toString());

        Path variant = Path.of("../testdata/drivers/seeded/double-completion");
        Path trace = dir.resolve("dc.trace");
        assertEquals(1, run("simulate", "--schedules", "2", "--trace", trace.toString(), variant.toString()));
        Files.writeString(trace, Files.readString(trace).replace("tool\t" + Main.VERSION + "\n", "tool\t0.0.9\n"));
        err.getBuffer().setLength(0);
        assertEquals(2, run("replay", trace.toString()));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().contains("was written by dpccheck 0.0.9"), err.toString());
        assertEquals(2, run("replay", dir.resolve("absent.trace").toString()));
    }
}
