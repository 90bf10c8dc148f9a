package dev.dpccheck.analyzer.report;

import com.contrastsecurity.sarif.ArtifactLocation;
import com.contrastsecurity.sarif.CodeFlow;
import com.contrastsecurity.sarif.Invocation;
import com.contrastsecurity.sarif.Location;
import com.contrastsecurity.sarif.Message;
import com.contrastsecurity.sarif.MultiformatMessageString;
import com.contrastsecurity.sarif.Notification;
import com.contrastsecurity.sarif.PartialFingerprints;
import com.contrastsecurity.sarif.PhysicalLocation;
import com.contrastsecurity.sarif.PropertyBag;
import com.contrastsecurity.sarif.Region;
import com.contrastsecurity.sarif.ReportingConfiguration;
import com.contrastsecurity.sarif.ReportingDescriptor;
import com.contrastsecurity.sarif.Result;
import com.contrastsecurity.sarif.Run;
import com.contrastsecurity.sarif.SarifSchema210;
import com.contrastsecurity.sarif.Suppression;
import com.contrastsecurity.sarif.ThreadFlow;
import com.contrastsecurity.sarif.ThreadFlowLocation;
import com.contrastsecurity.sarif.Tool;
import com.contrastsecurity.sarif.ToolComponent;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dpccheck.analyzer.Analyzer;
import dev.dpccheck.analyzer.findings.Finding;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Rule;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The SARIF 2.1.0 log of an audit, built with java-sarif: the rules' descriptors from their
 * metadata, one result per finding (relative URI under {@code %SRCROOT%}, region,
 * {@code primaryLocationLineHash}, the witness path as a code flow, in-source suppressions), and
 * what could not be analyzed as tool execution notifications. The same input gives the same
 * bytes: everything is in a fixed order and no time is written.
 */
public final class SarifReport {
    /** The base id that every result's URI is relative to. */
    public static final String SRCROOT = "%SRCROOT%";

    private SarifReport() {
    }

    /**
     * The log as JSON text.
     *
     * @param root the directory %SRCROOT% stands for; finding paths are made relative to it
     * @param textHelp the plain-text help of a rule
     * @param markdownHelp the Markdown help of a rule
     */
    public static String write(Analyzer.Result result, List<Rule> rules, Path root, String version,
            Function<Rule, String> textHelp, Function<Rule, String> markdownHelp) {
        Map<String, Integer> index = new LinkedHashMap<>();
        Set<ReportingDescriptor> descriptors = new LinkedHashSet<>();
        for (Rule r : rules) {
            RuleInfo i = r.info();
            index.put(i.id(), index.size());
            String name = friendlyName(i.title());
            descriptors.add(new ReportingDescriptor().withId(i.id()).withName(name.equals(i.id()) ? null : name)
                    .withShortDescription(new MultiformatMessageString().withText(i.title() + "."))
                    .withFullDescription(new MultiformatMessageString().withText(i.summary()))
                    .withHelp(new MultiformatMessageString().withText(textHelp.apply(r))
                            .withMarkdown(markdownHelp.apply(r)))
                    .withHelpUri(uri(i.source()))
                    .withDefaultConfiguration(new ReportingConfiguration().withLevel(configurationLevel(i.severity())))
                    .withProperties(new PropertyBag().withTags(new LinkedHashSet<>(List.of(i.tags())))
                            .withAdditionalProperty("precision", i.precision())));
        }
        // the runtime-only checks that the simulated kernel reported under --validate
        for (Finding f : result.findings()) {
            if (!index.containsKey(f.ruleId())) {
                var monitor = dev.dpccheck.kernel.verifier.Catalog.find(f.ruleId());
                index.put(f.ruleId(), index.size());
                descriptors.add(new ReportingDescriptor().withId(f.ruleId())
                        .withShortDescription(new MultiformatMessageString().withText(monitor.isPresent()
                                && monitor.get().title() != null ? monitor.get().title()
                                : "Checked only at run time by the simulated kernel."))
                        .withFullDescription(new MultiformatMessageString().withText(monitor.isPresent()
                                ? "The simulated kernel watches " + monitor.get().observes() + "."
                                : "A check of the simulated kernel."))
                        .withDefaultConfiguration(new ReportingConfiguration().withLevel(configurationLevel(f.severity())))
                        .withProperties(new PropertyBag().withTags(new LinkedHashSet<>(List.of("runtime")))));
            }
        }
        Map<Finding, String> fingerprints = Fingerprints.of(result.findings());
        List<Result> results = new ArrayList<>();
        for (Finding f : result.findings()) {
            Result r = new Result().withRuleId(f.ruleId()).withRuleIndex(index.get(f.ruleId()))
                    .withLevel(resultLevel(f.severity())).withMessage(new Message().withText(f.message()))
                    .withLocations(List.of(location(root, f.location(), null)))
                    .withPartialFingerprints(new PartialFingerprints()
                            .withAdditionalProperty("primaryLocationLineHash", fingerprints.get(f)));
            List<CodeFlow> flows = new ArrayList<>();
            if (!f.witness().isEmpty()) {
                List<ThreadFlowLocation> steps = new ArrayList<>();
                for (Finding.Step s : f.witness()) {
                    steps.add(new ThreadFlowLocation().withLocation(location(root, s.location(), s.message())));
                }
                flows.add(new CodeFlow().withThreadFlows(List.of(new ThreadFlow().withLocations(steps))));
            }
            if (f.validation() != null && f.validation().trace() != null) {
                // the schedule that showed it, CPU by CPU
                CodeFlow shown = TraceFlow.of(Path.of(f.validation().trace()), location(root, f.location(),
                        "violation: " + f.message()), (e, file) -> location(root, new dev.dpccheck.analyzer.findings
                                .Location(file.toString(), e.line(), 1, 2), e.actor() + ": " + e.text()));
                if (shown != null) {
                    flows.add(shown);
                }
            }
            if (!flows.isEmpty()) {
                r.withCodeFlows(flows);
            }
            if (f.validation() != null) {
                r.withProperties(new PropertyBag().withAdditionalProperty("validation", f.validation().properties()));
            }
            if (f.suppressed()) {
                r.withSuppressions(new LinkedHashSet<>(List.of(new Suppression().withKind(Suppression.Kind.IN_SOURCE)
                        .withJustification("@SuppressWarnings(\"dpccheck:" + f.ruleId() + "\")"))));
            }
            results.add(r);
        }
        List<Notification> notes = new ArrayList<>();
        for (dev.dpccheck.analyzer.findings.Notification n : result.notifications()) {
            Notification note = new Notification().withLevel(Notification.Level.WARNING)
                    .withMessage(new Message().withText(n.message()));
            if (n.file() != null) {
                note.withLocations(new LinkedHashSet<>(List.of(location(root,
                        new dev.dpccheck.analyzer.findings.Location(n.file(), Math.max(1, n.line()), 1, 2), null))));
            }
            notes.add(note);
        }
        Run run = new Run().withTool(new Tool().withDriver(new ToolComponent().withName("dpccheck")
                .withSemanticVersion(version).withVersion(version)
                .withInformationUri(uri("https://learn.microsoft.com/windows-hardware/drivers/kernel/introduction-to-dpcs"))
                .withRules(descriptors)))
                .withInvocations(List.of(new Invocation().withExecutionSuccessful(true)
                        .withToolExecutionNotifications(notes)))
                .withResults(results)
                .withColumnKind(Run.ColumnKind.UTF_16_CODE_UNITS);
        SarifSchema210 log = new SarifSchema210().with$schema(uri("https://json.schemastore.org/sarif-2.1.0.json"))
                .withVersion(SarifSchema210.Version._2_1_0).withRuns(List.of(run));
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .setSerializationInclusion(JsonInclude.Include.NON_EMPTY);
        try {
            return json.writeValueAsString(log).replace("\r\n", "\n") + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the SARIF log: " + e.getMessage(), e);
        }
    }

    private static Location location(Path root, dev.dpccheck.analyzer.findings.Location at, String message) {
        PhysicalLocation p = new PhysicalLocation().withArtifactLocation(new ArtifactLocation()
                .withUri(relativeUri(root, at.file())).withUriBaseId(SRCROOT))
                .withRegion(new Region().withStartLine(at.line()).withStartColumn(at.column())
                        .withEndColumn(at.endColumn()));
        Location l = new Location().withPhysicalLocation(p);
        if (message != null) {
            l.withMessage(new Message().withText(message));
        }
        return l;
    }

    /** A file's URI relative to the root, '/'-separated and percent-encoded. */
    static String relativeUri(Path root, String file) {
        Path abs = Paths.get(file).toAbsolutePath().normalize();
        Path base = root.toAbsolutePath().normalize();
        String rel = abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
        rel = rel.replace('\\', '/');
        try {
            return new URI(null, null, rel, null).getRawPath();
        } catch (URISyntaxException e) {
            return rel;
        }
    }

    /**
     * The rule's name for people, from its title in PascalCase ("Next packet started too early" is
     * NextPacketStartedTooEarly); SARIF wants it different from the id, which stays opaque.
     */
    static String friendlyName(String title) {
        StringBuilder sb = new StringBuilder();
        for (String word : title.split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) {
                sb.append(Character.toUpperCase(word.charAt(0)));
                sb.append(word.length() > 1 && word.equals(word.toUpperCase(java.util.Locale.ROOT))
                        ? word.substring(1).toLowerCase(java.util.Locale.ROOT) : word.substring(1));
            }
        }
        return sb.toString();
    }

    private static URI uri(String s) {
        return URI.create(s);
    }

    private static ReportingConfiguration.Level configurationLevel(Severity s) {
        return switch (s) {
            case ERROR -> ReportingConfiguration.Level.ERROR;
            case WARNING -> ReportingConfiguration.Level.WARNING;
            case NOTE -> ReportingConfiguration.Level.NOTE;
        };
    }

    private static Result.Level resultLevel(Severity s) {
        return switch (s) {
            case ERROR -> Result.Level.ERROR;
            case WARNING -> Result.Level.WARNING;
            case NOTE -> Result.Level.NOTE;
        };
    }
}
