package dev.dpccheck.cli;

import dev.dpccheck.kernel.DriverImage;
import dev.dpccheck.kernel.KernelConfig;
import dev.dpccheck.kernel.Simulation;
import dev.dpccheck.kernel.Violation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dpccheck simulate}: compiles a driver and runs it in the simulated kernel. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Compiles the driver under PATH and runs it in the simulated kernel under many schedules.")
final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1", paramLabel = "PATH", description = "A driver's source directory or file.")
    Path path;

    @Option(names = "--cpus", defaultValue = "2", description = "Virtual processors (default: ${DEFAULT-VALUE}).")
    int cpus;

    @Option(names = "--schedules", defaultValue = "50", description = "Schedules to run (default: ${DEFAULT-VALUE}).")
    int schedules;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the first schedule (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--faults", defaultValue = "0", description = "Device fault rate per operation, 0 to 1.")
    double faults;

    @Option(names = "--threads", defaultValue = "3", description = "Simulated user threads per device.")
    int threads;

    @Option(names = "--requests", defaultValue = "8", description = "Requests per user thread.")
    int requests;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (cpus < 1 || cpus > 64 || schedules < 1 || faults < 0 || faults > 1 || threads < 1 || requests < 0) {
            err.println("dpccheck: --cpus must be 1..64, --schedules and --threads at least 1, --requests at least 0,"
                    + " --faults 0..1.");
            return ExitCode.USAGE.code;
        }
        DriverImage image;
        try {
            image = DriverImage.compile(path);
        } catch (DriverImage.NoDriverException e) {
            err.println("dpccheck: " + e.getMessage() + ".");
            return ExitCode.USAGE.code;
        } catch (DriverImage.CompileException e) {
            err.println(e.getMessage());
            err.println("dpccheck: the driver under '" + path + "' does not compile.");
            return ExitCode.USAGE.code;
        } catch (java.io.IOException e) {
            err.println("dpccheck: cannot read '" + path + "': " + e.getMessage() + ".");
            return ExitCode.USAGE.code;
        }
        KernelConfig config = KernelConfig.defaults().withCpus(cpus).withFaultRate(faults).withWorkload(threads, requests);
        Simulation.Report report = Simulation.run(image, config, schedules, seed);
        out.printf("%s: %d schedules on %d CPUs, seeds %d..%d, fault rate %s%n", image.name(), schedules, cpus, seed,
                seed + schedules - 1, faults);
        out.printf("IRPs issued %d, completed %d; bytes verified %d%n", report.irpsIssued(), report.irpsCompleted(),
                report.bytesVerified());
        for (Violation v : report.violations().values()) {
            String where = v.routine().equals("-") ? "" : "in " + v.routine() + ", " + v.context() + "; ";
            out.printf("%s: violation [%s] %s (%sseed %d)%n", v.location(), v.rule(), v.message(), where,
                    report.firstSeed().get(v.key()));
        }
        out.printf("%d violation%s%n", report.violations().size(), report.violations().size() == 1 ? "" : "s");
        out.flush();
        return report.violations().isEmpty() ? ExitCode.OK.code : ExitCode.FINDINGS.code;
    }
}
