package dev.dpccheck.cli;

import dev.dpccheck.analyzer.Analyzer;
import dev.dpccheck.analyzer.findings.Notification;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Rule;
import dev.dpccheck.analyzer.report.HtmlReport;
import dev.dpccheck.analyzer.report.JsonReport;
import dev.dpccheck.analyzer.report.ReportFiles;
import dev.dpccheck.analyzer.report.SarifReport;
import dev.dpccheck.analyzer.report.TextReport;
import dev.dpccheck.rules.RuleDocs;
import dev.dpccheck.rules.Rules;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dpccheck audit}: static analysis of driver sources. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Analyzes the Java sources under PATH... against the DPC, ISR and IRQL rules.")
final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Source files or directories.")
    List<Path> paths;

    @Option(names = "--classpath", paramLabel = "CP",
            description = "Jars and class directories the sources use, separated by '${sys:path.separator}'.")
    String classpath;

    @Option(names = "--rules", split = ",", paramLabel = "ID", description = "Run only these rules.")
    List<String> only;

    @Option(names = "--disable", split = ",", paramLabel = "ID", description = "Do not run these rules.")
    List<String> disabled;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text, sarif, json or html (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the report to FILE (written whole or not at all) instead of standard output.")
    Path output;

    @Option(names = "--baseline", paramLabel = "FILE",
            description = "A SARIF log of accepted findings: findings it holds are not reported.")
    Path baseline;

    @Option(names = "--jobs", defaultValue = "0", paramLabel = "N",
            description = "Threads that check the rules, 0 to 1024; 0 for one per processor (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--validate",
            description = "Run each driver found in the simulated kernel and mark each finding confirmed (with a trace"
                    + " that 'dpccheck replay' re-runs), not-reproduced or not-validated; add what the kernel found that"
                    + " no finding predicted.")
    boolean validate;

    @Option(names = "--schedules", defaultValue = "200", paramLabel = "N",
            description = "With --validate: schedules per driver, 1..1000000 (default: ${DEFAULT-VALUE}).")
    int schedules;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "With --validate: the seed of the first schedule (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--strategy", defaultValue = "pct:2", paramLabel = "STRATEGY",
            description = "With --validate: random, pct[:1..3], pos or dfs[:BOUND] (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--time-budget", paramLabel = "DURATION", converter = Durations.class,
            description = "With --validate: start no schedule of a driver after this much time, e.g. 30s.")
    Long budgetMillis;

    @Option(names = "--faults", defaultValue = "0.05", paramLabel = "RATE",
            description = "With --validate: the device fault rate, 0 to 1 (default: ${DEFAULT-VALUE}).")
    double faults;

    @Option(names = "--traces", defaultValue = "dpccheck-traces", paramLabel = "DIR",
            description = "With --validate: where the traces of confirmed findings go (default: ${DEFAULT-VALUE}).")
    Path traces;

    @Option(names = "--fail-on-confirmed",
            description = "With --validate: count toward --fail-on only the findings the simulated kernel demonstrated"
                    + " (confirmed, or found by simulation), for a gate that fails only on shown defects.")
    boolean failOnConfirmed;

    @Option(names = "--fail-on", defaultValue = "warning", paramLabel = "LEVEL",
            description = "Exit 1 when a finding is at or above: error, warning, note or never (default: ${DEFAULT-VALUE}).")
    String failOn;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!List.of("text", "sarif", "json", "html").contains(format)) {
            err.println("dpccheck: --format must be text, sarif, json or html, not '" + format + "'.");
            return ExitCode.USAGE.code;
        }
        if (jobs < 0 || jobs > MAX_JOBS) {
            err.println("dpccheck: --jobs must be between 0 and " + MAX_JOBS + ", not " + jobs + ".");
            return ExitCode.USAGE.code;
        }
        Severity threshold;
        try {
            threshold = Severity.threshold(failOn);
        } catch (IllegalArgumentException e) {
            err.println("dpccheck: --fail-on " + e.getMessage());
            return ExitCode.USAGE.code;
        }
        String badValidation = validationOptions();
        if (badValidation != null) {
            err.println("dpccheck: " + badValidation + ".");
            return ExitCode.USAGE.code;
        }
        List<Rule> rules;
        try {
            rules = Rules.select(only, disabled);
        } catch (IllegalArgumentException e) {
            err.println("dpccheck: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
        for (Path p : paths) {
            // a link that cannot be followed is there, and the scan says what is wrong with it
            if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                err.println("dpccheck: '" + p + "' does not exist.");
                return ExitCode.USAGE.code;
            }
        }
        List<Path> cp = new ArrayList<>();
        if (classpath != null) {
            for (String entry : classpath.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    cp.add(Paths.get(entry));
                }
            }
        }
        Analyzer.Result result;
        try {
            ProgressBar bar = ProgressBar.onTerminal(err);
            try {
                result = Analyzer.run(paths, cp, rules, bar, jobs);
            } finally {
                bar.close();
            }
        } catch (IOException e) {
            err.println("dpccheck: cannot read the sources: " + e.getMessage() + ".");
            return ExitCode.USAGE.code;
        }
        if (validate) {
            try {
                result = dev.dpccheck.analyzer.validate.Validator.validate(result, paths, validation());
            } catch (IOException e) {
                err.println("dpccheck: cannot validate: " + e.getMessage() + ".");
                return ExitCode.USAGE.code;
            }
        }
        List<dev.dpccheck.analyzer.findings.Finding> baselined = List.of();
        if (baseline != null) {
            dev.dpccheck.analyzer.report.Baseline.Filtered filtered;
            try {
                filtered = dev.dpccheck.analyzer.report.Baseline.read(baseline).filter(result, ROOT);
            } catch (IOException e) {
                err.println("dpccheck: " + e.getMessage() + ".");
                return ExitCode.USAGE.code;
            }
            result = filtered.result();
            baselined = filtered.baselined();
        }
        int hidden = baselined.size();
        String report;
        switch (format) {
            case "sarif":
                report = SarifReport.write(result, rules, ROOT, Main.VERSION, RuleDocs::text, RuleDocs::markdownHelp);
                break;
            case "json":
                report = JsonReport.write(result);
                break;
            case "html":
                report = HtmlReport.write(result, baselined, rules, Main.VERSION);
                break;
            default:
                java.io.StringWriter text = new java.io.StringWriter();
                PrintWriter w = new PrintWriter(text);
                TextReport.write(result, hidden, w);
                w.flush();
                report = text.toString();
                break;
        }
        if (output != null) {
            try {
                ReportFiles.writeAtomically(output, report);
            } catch (IOException e) {
                err.println("dpccheck: cannot write '" + output + "': " + e.getMessage() + ".");
                return ExitCode.USAGE.code;
            }
        } else {
            out.print(report);
        }
        if (hidden > 0 && (format.equals("sarif") || format.equals("json"))) {
            err.println("dpccheck: the baseline hid " + hidden + " finding" + (hidden == 1 ? "" : "s") + ".");
        }
        for (Notification n : result.notifications()) {
            err.println("dpccheck: warning: " + n);
        }
        out.flush();
        err.flush();
        boolean fail = threshold != null && result.findings().stream()
                .anyMatch(f -> !f.suppressed() && f.severity().atLeast(threshold) && (!failOnConfirmed || f.demonstrated()));
        return fail ? ExitCode.FINDINGS.code : ExitCode.OK.code;
    }

    /** The --validate options. */
    private dev.dpccheck.analyzer.validate.Validator.Options validation() {
        return new dev.dpccheck.analyzer.validate.Validator.Options(strategy, schedules, seed,
                budgetMillis == null ? Long.MAX_VALUE : budgetMillis, faults, traces, classpath);
    }

    /** What is wrong with the --validate options, in one phrase, or null. */
    private String validationOptions() {
        if (failOnConfirmed && !validate) {
            return "--fail-on-confirmed needs --validate";
        }
        String problem = validation().problem();
        return problem == null ? null : "--" + problem;
    }

    /** The most threads --jobs may ask for: each has a large stack reserved. */
    static final int MAX_JOBS = 1024;

    /** The directory that SARIF's %SRCROOT% stands for: where dpccheck runs. */
    static final Path ROOT = Paths.get("");
}
