package dev.dpccheck.maven;

import dev.dpccheck.analyzer.Analyzer;
import dev.dpccheck.analyzer.findings.Finding;
import dev.dpccheck.analyzer.findings.Notification;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.report.Baseline;
import dev.dpccheck.analyzer.report.ReportFiles;
import dev.dpccheck.analyzer.report.HtmlReport;
import dev.dpccheck.analyzer.report.SarifReport;
import dev.dpccheck.analyzer.spi.Rule;
import dev.dpccheck.analyzer.validate.Validator;
import dev.dpccheck.rules.RuleDocs;
import dev.dpccheck.rules.Rules;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What both goals do: analyze the project's source roots with its compile classpath, log the
 * findings, write the SARIF log. The parameters follow maven-pmd-plugin and spotbugs-maven-plugin,
 * each with a {@code dpccheck.*} user property.
 */
abstract class AbstractDpccheckMojo extends AbstractMojo {
    /** The version the SARIF log names. */
    static final String VERSION = "0.1.0";

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    /** Skips the analysis. */
    @Parameter(property = "dpccheck.skip", defaultValue = "false")
    boolean skip;

    /** The lowest severity that counts as a violation: error, warning, note, or never. */
    @Parameter(property = "dpccheck.failOn", defaultValue = "warning")
    String failOn;

    /** How many violations the build tolerates before {@code check} fails it. */
    @Parameter(property = "dpccheck.maxAllowedViolations", defaultValue = "0")
    int maxAllowedViolations;

    /** Whether the test source roots are analyzed too. */
    @Parameter(property = "dpccheck.includeTests", defaultValue = "false")
    boolean includeTests;

    /** Glob patterns, relative to a source root, of the files to analyze (default: every .java file). */
    @Parameter(property = "dpccheck.includes")
    List<String> includes;

    /** Glob patterns, relative to a source root, of files not to analyze. */
    @Parameter(property = "dpccheck.excludes")
    List<String> excludes;

    /** Run only these rules (ids). */
    @Parameter(property = "dpccheck.rules")
    List<String> rules;

    /** Do not run these rules (ids). */
    @Parameter(property = "dpccheck.disable")
    List<String> disable;

    /** A SARIF log of accepted findings: findings it holds are not reported. */
    @Parameter(property = "dpccheck.baseline")
    File baseline;

    /** Whether to write the SARIF log. */
    @Parameter(property = "dpccheck.sarifOutput", defaultValue = "true")
    boolean sarifOutput;

    /** Where the SARIF log goes. */
    @Parameter(property = "dpccheck.sarifOutputFile", defaultValue = "${project.build.directory}/dpccheck.sarif")
    File sarifOutputFile;

    /**
     * Whether to write the HTML report: one self-contained page, findings by rule and file with their
     * source lines, validation badges, and for a finding the kernel showed, its trace as a timeline.
     */
    @Parameter(property = "dpccheck.htmlOutput", defaultValue = "false")
    boolean htmlOutput;

    /** Where the HTML report goes. */
    @Parameter(property = "dpccheck.htmlOutputFile", defaultValue = "${project.build.directory}/dpccheck.html")
    File htmlOutputFile;

    /**
     * Whether to run each driver found (a class with {@code @HardwareId}) in the simulated kernel,
     * in a child JVM, and mark each finding confirmed, not-reproduced, not-exercised or
     * not-validated, as {@code dpccheck audit --validate} does.
     */
    @Parameter(property = "dpccheck.validate", defaultValue = "false")
    boolean validate;

    /** With {@code validate}: the most schedules per driver. */
    @Parameter(property = "dpccheck.schedules", defaultValue = "200")
    int schedules;

    /** With {@code validate}: the seed of the first schedule. */
    @Parameter(property = "dpccheck.seed", defaultValue = "1")
    long seed;

    /** With {@code validate}: random, pct[:1..3], pos or dfs[:bound]. */
    @Parameter(property = "dpccheck.strategy", defaultValue = "pct:2")
    String strategy;

    /** With {@code validate}: the device fault rate, 0 to 1. */
    @Parameter(property = "dpccheck.faults", defaultValue = "0.05")
    double faults;

    /** With {@code validate}: where the traces of the findings the kernel showed go. */
    @Parameter(property = "dpccheck.tracesDirectory", defaultValue = "${project.build.directory}/dpccheck-traces")
    File tracesDirectory;

    /**
     * With {@code validate}: count as violations only the findings the kernel showed (confirmed, or
     * found by simulation), for a gate that fails only on demonstrated defects.
     */
    @Parameter(property = "dpccheck.failOnConfirmed", defaultValue = "false")
    boolean failOnConfirmed;

    /** Whether violations fail the build. */
    abstract boolean failsBuild();

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("dpccheck: skipped (dpccheck.skip)");
            return;
        }
        Severity threshold = threshold();
        List<Rule> selected;
        try {
            selected = Rules.select(rules, disable);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("dpccheck: " + e.getMessage());
        }
        List<Path> files = sources();
        if (files.isEmpty()) {
            getLog().info("dpccheck: no Java sources to analyze");
            try {
                // a report from an earlier run would describe sources that are gone
                java.nio.file.Files.deleteIfExists(sarifOutputFile.toPath());
                java.nio.file.Files.deleteIfExists(htmlOutputFile.toPath());
            } catch (IOException e) {
                throw new MojoExecutionException("dpccheck: cannot remove an earlier report: " + e.getMessage(), e);
            }
            return;
        }
        Analyzer.Result result;
        try {
            result = Analyzer.run(files, classpath(), selected);
        } catch (IOException e) {
            throw new MojoExecutionException("dpccheck: cannot read the sources: " + e.getMessage(), e);
        }
        if (validate) {
            result = validated(result, files);
        } else if (failOnConfirmed) {
            throw new MojoExecutionException("dpccheck: failOnConfirmed needs validate");
        }
        List<Finding> baselined = List.of();
        if (baseline != null) {
            try {
                Baseline.Filtered f = Baseline.read(baseline.toPath()).filter(result, project.getBasedir().toPath());
                result = f.result();
                baselined = f.baselined();
            } catch (IOException e) {
                throw new MojoExecutionException("dpccheck: " + e.getMessage() + ".");
            }
        }
        int hidden = baselined.size();
        for (Notification n : result.notifications()) {
            getLog().warn("dpccheck: " + n);
        }
        int violations = 0;
        for (Finding f : result.findings()) {
            if (f.suppressed()) {
                continue;
            }
            String line = String.format("%s:%d:%d: %s [%s] %s", f.location().file(), f.location().line(),
                    f.location().column(), f.severity().level(), f.ruleId(), f.message())
                    + (f.validation() == null ? "" : " (" + f.validation().describe() + ")");
            boolean counts = threshold != null && f.severity().atLeast(threshold) && (!failOnConfirmed || f.demonstrated());
            if (counts) {
                violations++;
            }
            if (f.severity() == Severity.ERROR) {
                getLog().error(line);
            } else {
                getLog().warn(line);
            }
        }
        if (sarifOutput) {
            try {
                ReportFiles.writeAtomically(sarifOutputFile.toPath(), SarifReport.write(result, selected,
                        project.getBasedir().toPath(), VERSION, RuleDocs::text, RuleDocs::markdownHelp));
            } catch (IOException e) {
                throw new MojoExecutionException("dpccheck: cannot write '" + sarifOutputFile + "': " + e.getMessage(), e);
            }
        }
        if (htmlOutput) {
            try {
                ReportFiles.writeAtomically(htmlOutputFile.toPath(), HtmlReport.write(result, baselined, selected, VERSION));
            } catch (IOException e) {
                throw new MojoExecutionException("dpccheck: cannot write '" + htmlOutputFile + "': " + e.getMessage(), e);
            }
        }
        getLog().info(String.format("dpccheck: %d finding%s, %d violation%s at or above '%s' in %d file%s analyzed%s%s",
                result.findings().size(), result.findings().size() == 1 ? "" : "s", violations,
                violations == 1 ? "" : "s", failOn, result.filesAnalyzed(), result.filesAnalyzed() == 1 ? "" : "s",
                hidden > 0 ? "; the baseline hid " + hidden : "", (sarifOutput ? "; SARIF: " + sarifOutputFile : "")
                        + (htmlOutput ? "; HTML: " + htmlOutputFile : "")));
        if (failsBuild() && violations > maxAllowedViolations) {
            throw new MojoFailureException("dpccheck found " + violations + " violation" + (violations == 1 ? "" : "s")
                    + " at or above '" + failOn + "', more than the " + maxAllowedViolations + " allowed.");
        }
    }

    /** The result with every finding validated in the simulated kernel ({@link Validator}). */
    private Analyzer.Result validated(Analyzer.Result result, List<Path> files) throws MojoExecutionException {
        // the drivers compile in the child JVM against the WDM API and the project's dependencies
        Path output = Path.of(project.getBuild().getOutputDirectory()).toAbsolutePath().normalize();
        String cp = classpath().stream().filter(p -> !p.toAbsolutePath().normalize().equals(output))
                .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        Validator.Options options = new Validator.Options(strategy, schedules, seed, Long.MAX_VALUE, faults,
                tracesDirectory.toPath(), cp.isEmpty() ? null : cp);
        if (options.problem() != null) {
            throw new MojoExecutionException("dpccheck: " + options.problem());
        }
        try {
            Analyzer.Result r = Validator.validate(result, files, options);
            long shown = r.findings().stream().filter(Finding::demonstrated).count();
            getLog().info("dpccheck: validated in the simulated kernel: " + shown + " of " + r.findings().size()
                    + " findings shown; traces in " + tracesDirectory);
            return r;
        } catch (IOException e) {
            throw new MojoExecutionException("dpccheck: cannot validate: " + e.getMessage(), e);
        }
    }

    private Severity threshold() throws MojoExecutionException {
        try {
            return Severity.threshold(failOn);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("dpccheck: failOn " + e.getMessage());
        }
    }

    /** The .java files of the source roots that the includes and excludes select, sorted. */
    private List<Path> sources() throws MojoExecutionException {
        List<String> roots = new ArrayList<>(project.getCompileSourceRoots());
        if (includeTests) {
            roots.addAll(project.getTestCompileSourceRoots());
        }
        FileSystem fs = FileSystems.getDefault();
        List<PathMatcher> in = matchers(fs, includes == null || includes.isEmpty() ? List.of("**/*.java") : includes);
        List<PathMatcher> out = matchers(fs, excludes == null ? List.of() : excludes);
        List<Path> files = new ArrayList<>();
        for (String r : roots) {
            // a relative root is the module's, not the working directory's (which is the reactor's under -T)
            Path root = project.getBasedir().toPath().resolve(r);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(root)) {
                files.addAll(s.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)).filter(p -> {
                    Path rel = root.relativize(p);
                    return in.stream().anyMatch(m -> m.matches(rel)) && out.stream().noneMatch(m -> m.matches(rel));
                }).collect(Collectors.toList()));
            } catch (IOException e) {
                throw new MojoExecutionException("dpccheck: cannot list '" + root + "': " + e.getMessage(), e);
            }
        }
        files.sort(null);
        return files;
    }

    private static List<PathMatcher> matchers(FileSystem fs, List<String> globs) {
        List<PathMatcher> out = new ArrayList<>();
        for (String g : globs) {
            // '**/*.java' also matches files at the root, as in Maven's own patterns
            out.add(fs.getPathMatcher("glob:" + g));
            if (g.startsWith("**/")) {
                out.add(fs.getPathMatcher("glob:" + g.substring(3)));
            }
        }
        return out;
    }

    private List<Path> classpath() throws MojoExecutionException {
        try {
            List<Path> cp = new ArrayList<>();
            for (String e : project.getCompileClasspathElements()) {
                cp.add(Path.of(e));
            }
            return cp;
        } catch (DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("dpccheck: the compile classpath is not resolved: " + e.getMessage(), e);
        }
    }
}
