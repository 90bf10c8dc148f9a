package dev.dpccheck.cli;

import dev.dpccheck.analyzer.report.ReportFiles;
import dev.dpccheck.analyzer.report.TraceView;
import dev.dpccheck.kernel.IsolatedSimulation;
import dev.dpccheck.kernel.Trace;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dpccheck replay}: re-runs the schedule a trace recorded, in a child JVM, and prints its
 * interleaving processor by processor, ending in the violation it recorded, or says where the run
 * left the trace when the driver changed.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Re-runs the schedule recorded in TRACE (written by 'dpccheck simulate --trace') and prints its"
                + " interleaving: routine entries and returns, IRQL changes, Wdm calls, field accesses with values,"
                + " device events, ending in the recorded violation.")
final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1", paramLabel = "TRACE", description = "A trace file.")
    Path trace;

    @Option(names = "--driver", paramLabel = "PATH",
            description = "The driver's source directory, when it moved since the trace was recorded.")
    Path driver;

    @Option(names = "--timeout", defaultValue = "10m", paramLabel = "DURATION", converter = Durations.class,
            description = "Time limit of the replay (default: ${DEFAULT-VALUE}).")
    long timeoutMillis;

    @Option(names = "--html",
            description = "Write the trace as an HTML page instead of the interleaving in text: a timeline with a lane"
                    + " per CPU and device, IRQL bands, routines as nested blocks, calls and accesses as marks.")
    boolean html;

    @Option(names = "--window", paramLabel = "N",
            description = "With --html: draw the last N events up to the violation one by one and collapse the earlier"
                    + " ones; 0 draws every event (default: " + TraceView.WINDOW + ").")
    Integer window;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "With --html: write the page to FILE (written whole or not at all) instead of standard output.")
    Path output;

    @Option(names = "--memory", defaultValue = "1024", paramLabel = "MIB",
            description = "Heap of the JVM that runs the driver, in MiB, 64..65536 (default: ${DEFAULT-VALUE}).")
    long memoryMiB;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (memoryMiB < 64 || memoryMiB > 65_536) {
            err.println("dpccheck: --memory must be 64..65536 MiB, not " + memoryMiB + ".");
            return ExitCode.USAGE.code;
        }
        if (output != null && !html) {
            err.println("dpccheck: --output needs --html.");
            return ExitCode.USAGE.code;
        }
        if (window != null && !html) {
            err.println("dpccheck: --window needs --html.");
            return ExitCode.USAGE.code;
        }
        if (window != null && window < 0) {
            err.println("dpccheck: --window must be 0 (every event) or more, not " + window + ".");
            return ExitCode.USAGE.code;
        }
        Trace.Recorded recorded;
        try {
            recorded = Trace.read(trace);
        } catch (NoSuchFileException e) {
            err.println("dpccheck: '" + trace + "' does not exist.");
            return ExitCode.USAGE.code;
        } catch (IOException e) {
            err.println("dpccheck: cannot read '" + trace + "': " + e.getMessage() + ".");
            return ExitCode.USAGE.code;
        } catch (Trace.BadTraceException e) {
            err.println("dpccheck: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
        Path source = driver != null ? driver : Paths.get(recorded.header().driver());
        if (!Files.exists(source)) {
            err.println("dpccheck: the trace's driver '" + source + "' does not exist; give its place with --driver.");
            return ExitCode.USAGE.code;
        }
        IsolatedSimulation.Outcome outcome = IsolatedSimulation.replay(source, null, trace,
                new IsolatedSimulation.Limits(memoryMiB, timeoutMillis, timeoutMillis));
        Integer failed = SimulateCommand.failure(outcome, source, err);
        if (failed != null) {
            return failed;
        }
        IsolatedSimulation.Replayed r = outcome.replay();
        if (r == null) {
            String why = outcome.report() == null ? null : outcome.report().stopped();
            err.println("dpccheck: the replay did not finish" + (why == null ? "" : ": " + why) + ".");
            return ExitCode.INTERNAL.code;
        }
        // with the page on standard output, what the replay says goes to standard error
        PrintWriter say = html && output == null ? err : out;
        say.printf("replay of %s: %s, %s, %d decisions%n", trace, outcome.driver(), recorded.header().strategy(),
                recorded.choices().size());
        if (r.sourceChanged()) {
            say.println("the driver's sources changed since the trace was recorded");
        }
        if (html) {
            String page = TraceView.page(recorded, source, "dpccheck trace: " + trace.getFileName(),
                    window == null ? TraceView.WINDOW : window);
            if (output == null) {
                out.print(page);
            } else {
                try {
                    ReportFiles.writeAtomically(output, page);
                } catch (IOException e) {
                    err.println("dpccheck: cannot write '" + output + "': " + e.getMessage() + ".");
                    return ExitCode.USAGE.code;
                }
                say.println("the trace's page: " + output);
            }
        } else {
            out.print(r.interleaving());
        }
        if (html && r.divergence() != null) {
            say.println("diverged from the trace: " + r.divergence());
        }
        if (r.reproduced()) {
            say.println(recorded.violations().isEmpty() ? "replayed exactly: no violation, as recorded"
                    : "replayed exactly: the same violation, " + recorded.violations().get(0).rule() + " at "
                            + recorded.violations().get(0).location() + " of the driver's directory");
        } else if (r.divergence() == null) {
            say.println("the run followed the trace but did not show its violation again");
        }
        out.flush();
        // like simulate: 1 when the replayed run shows a violation, 0 when it is clean (a fixed driver leaves its trace)
        return outcome.report().violations().isEmpty() ? ExitCode.OK.code : ExitCode.FINDINGS.code;
    }
}
