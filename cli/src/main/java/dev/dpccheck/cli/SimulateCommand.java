package dev.dpccheck.cli;

import dev.dpccheck.kernel.IsolatedSimulation;
import dev.dpccheck.kernel.KernelConfig;
import dev.dpccheck.kernel.Simulation;
import dev.dpccheck.kernel.Violation;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dpccheck simulate}: runs a driver in the simulated kernel, in a child JVM bounded in
 * memory and time; this process owns the verdict and the exit code.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Compiles the driver under PATH and runs it in the simulated kernel under many schedules,"
                + " in a child JVM bounded in memory and time.")
final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1", paramLabel = "PATH", description = "A driver's source directory or file.")
    Path path;

    @Option(names = "--cpus", defaultValue = "2", description = "Virtual processors, 1..64 (default: ${DEFAULT-VALUE}).")
    int cpus;

    @Option(names = "--schedules", defaultValue = "50",
            description = "Schedules to run, 1..10000000 (default: ${DEFAULT-VALUE}).")
    int schedules;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the first schedule (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--faults", defaultValue = "0", description = "Device fault rate per operation, 0 to 1.")
    double faults;

    @Option(names = "--threads", defaultValue = "3", description = "Simulated user threads per device, 1..64.")
    int threads;

    @Option(names = "--requests", defaultValue = "8", description = "Requests per user thread, 0..10000.")
    int requests;

    @Option(names = "--timeout", defaultValue = "10m", paramLabel = "DURATION", converter = Durations.class,
            description = "Time limit of the whole run, e.g. 90s, 10m, 1h (default: ${DEFAULT-VALUE}).")
    long timeoutMillis;

    @Option(names = "--schedule-timeout", defaultValue = "60s", paramLabel = "DURATION", converter = Durations.class,
            description = "Wall-clock limit of one schedule, after which the driver counts as hung"
                    + " (default: ${DEFAULT-VALUE}).")
    long scheduleMillis;

    @Option(names = "--strategy", defaultValue = "random", paramLabel = "STRATEGY",
            description = "How schedules are explored: random (a random walk), pct or pct:1..3 (PCT, depth 2 by"
                    + " default), pos (partial order sampling), dfs or dfs:BOUND (a depth-first search with at most"
                    + " BOUND preemptions, 2 by default) (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--time-budget", paramLabel = "DURATION", converter = Durations.class,
            description = "Start no schedule after this much time, e.g. 30s, 5m; the run reports what it found.")
    Long budgetMillis;

    @Option(names = "--points", defaultValue = "shared", paramLabel = "shared|calls",
            description = "Where a context can be preempted: shared (at Wdm calls and at accesses to fields and array"
                    + " elements two contexts reach) or calls (at Wdm calls only, coarser and cheaper)"
                    + " (default: ${DEFAULT-VALUE}).")
    String points;

    @Option(names = "--trace", paramLabel = "FILE",
            description = "Write the trace of the first schedule that shows a violation to FILE, for 'dpccheck replay'.")
    Path trace;

    @Option(names = "--trace-every", paramLabel = "DIR",
            description = "Write the trace of every schedule to DIR, as schedule-SEED.trace (each schedule runs twice).")
    Path traceEvery;

    @Option(names = "--memory", defaultValue = "1024", paramLabel = "MIB",
            description = "Heap of the JVM that runs the driver, in MiB, 64..65536 (default: ${DEFAULT-VALUE}).")
    long memoryMiB;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String bad = badOption();
        if (bad != null) {
            err.println("dpccheck: " + bad + ".");
            return ExitCode.USAGE.code;
        }
        if (!Files.exists(path)) {
            err.println("dpccheck: '" + path + "' does not exist.");
            return ExitCode.USAGE.code;
        }
        KernelConfig config = KernelConfig.defaults().withCpus(cpus).withFaultRate(faults).withWorkload(threads, requests)
                .withSharedMemoryPoints(points.equals("shared"));
        IsolatedSimulation.Outcome outcome = IsolatedSimulation.run(path, null, config,
                new IsolatedSimulation.Search(strategy, schedules, seed,
                        budgetMillis == null ? Long.MAX_VALUE : budgetMillis, trace != null, traceEvery, null),
                new IsolatedSimulation.Limits(memoryMiB, timeoutMillis, Math.min(scheduleMillis, timeoutMillis)));
        Integer failed = failure(outcome, path, err);
        if (failed != null) {
            return failed;
        }
        Simulation.Report report = outcome.report();
        int ran = report.schedules().size();
        out.printf("%s: %d schedules on %d CPUs, %s, seeds %d..%d, fault rate %s%n", outcome.driver(), ran, cpus,
                strategy, seed, seed + Math.max(ran, 1) - 1, faults);
        out.printf("IRPs issued %d, completed %d; bytes verified %d%n", report.irpsIssued(), report.irpsCompleted(),
                report.bytesVerified());
        for (Violation v : report.violations().values()) {
            String where = v.routine().equals("-") ? "" : "in " + v.routine() + ", " + v.context() + "; ";
            out.printf("%s: violation [%s] %s (%sseed %d)%n", v.location(), v.rule(), v.message(), where,
                    report.firstSeed().get(v.key()));
        }
        out.printf("%d violation%s%n", report.violations().size(), report.violations().size() == 1 ? "" : "s");
        if (report.stopped() != null) {
            out.printf("stopped after %d of %d schedules: %s%n", ran, schedules, report.stopped());
        } else if (report.ended() != null) {
            out.printf("ended early: %s%n", report.ended());
        }
        if (traceEvery != null) {
            out.printf("the trace of every schedule written to %s as schedule-SEED.trace%n", traceEvery);
        }
        if (trace != null) {
            if (report.trace() != null) {
                dev.dpccheck.analyzer.report.ReportFiles.writeAtomically(trace, report.trace());
                out.printf("trace of the first violating schedule written to %s; replay it with 'dpccheck replay %s'%n",
                        trace, trace);
            } else {
                out.printf("no schedule showed a violation: no trace written to %s%n", trace);
            }
        }
        out.flush();
        return report.violations().isEmpty() && report.stopped() == null ? ExitCode.OK.code : ExitCode.FINDINGS.code;
    }

    /** The exit code of a run that did not run the driver, with its one sentence on {@code err}; null when it ran. */
    static Integer failure(IsolatedSimulation.Outcome outcome, Path path, PrintWriter err) {
        switch (outcome.status()) {
            case NO_DRIVER:
                err.println("dpccheck: " + outcome.message() + ".");
                return ExitCode.USAGE.code;
            case COMPILE_ERROR:
                err.println(outcome.message());
                err.println("dpccheck: the driver under '" + path + "' does not compile.");
                return ExitCode.USAGE.code;
            case REFUSED:
                err.println(outcome.message());
                err.println("dpccheck: the driver under '" + path + "' uses what a kernel-mode driver cannot;"
                        + " it was not run.");
                return ExitCode.USAGE.code;
            case UNREADABLE:
                err.println("dpccheck: cannot read '" + path + "': " + outcome.message() + ".");
                return ExitCode.USAGE.code;
            case INTERNAL:
                err.println("dpccheck: internal error: " + outcome.message() + ".");
                return ExitCode.INTERNAL.code;
            default:
                break;
        }
        return null;
    }

    /** What is wrong with the options, or null. */
    private String badOption() {
        if (cpus < 1 || cpus > 64) {
            return "--cpus must be 1..64, not " + cpus;
        }
        if (schedules < 1 || schedules > 10_000_000) {
            return "--schedules must be 1..10000000, not " + schedules;
        }
        if (!(faults >= 0 && faults <= 1)) {
            return "--faults must be a rate from 0 to 1 (--faults 0..1), not " + faults;
        }
        if (threads < 1 || threads > 64) {
            return "--threads must be 1..64, not " + threads;
        }
        if (requests < 0 || requests > 10_000) {
            return "--requests must be 0..10000, not " + requests;
        }
        try {
            dev.dpccheck.kernel.Exploration.of(strategy);
        } catch (IllegalArgumentException e) {
            return "--strategy: " + e.getMessage();
        }
        if (!points.equals("shared") && !points.equals("calls")) {
            return "--points must be shared or calls, not '" + points + "'";
        }
        if (budgetMillis != null && budgetMillis <= 0) {
            return "--time-budget must be positive";
        }
        if (memoryMiB < 64 || memoryMiB > 65_536) {
            return "--memory must be 64..65536 MiB, not " + memoryMiB;
        }
        return null;
    }
}
