package dev.dpccheck.rules;

import dev.dpccheck.analyzer.spi.Rule;
import dev.dpccheck.analyzer.spi.RuleInfo;
import dev.dpccheck.kernel.verifier.Catalog;
import dev.dpccheck.kernel.verifier.Monitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The rule documentation, generated from each rule's {@link RuleInfo}: the Markdown pages under
 * {@code rules/docs/} (with the rule's first bad and good samples from {@code testdata/rules/} as
 * examples), the catalog table, and the text {@code dpccheck explain} prints.
 */
public final class RuleDocs {
    private RuleDocs() {
    }

    /** The text {@code dpccheck explain ID} prints. */
    public static String text(Rule rule) {
        RuleInfo i = rule.info();
        StringBuilder sb = new StringBuilder();
        sb.append(i.id()).append(": ").append(i.title()).append('\n');
        sb.append("severity ").append(i.severity().level()).append(", precision ").append(i.precision())
                .append(", tags ").append(String.join(", ", i.tags())).append(", since ").append(i.since()).append('\n');
        sb.append('\n').append(wrap(i.summary())).append('\n');
        sb.append('\n').append(wrap(i.rationale())).append('\n');
        sb.append('\n').append("Source: ").append(i.source()).append('\n');
        if (!i.sdv().isEmpty()) {
            sb.append("SDV analog: ").append(i.sdv()).append('\n');
        }
        sb.append('\n').append(wrap(atRunTime(i))).append('\n');
        return sb.toString();
    }

    /** The text {@code dpccheck explain ID} prints for a check the simulated kernel makes only at run time. */
    public static String text(Monitor monitor) {
        return monitor.id() + ": " + monitor.title() + "\n" + "checked only at run time, component "
                + monitor.component().label() + "\n\n"
                + wrap("Under `dpccheck simulate` the simulated kernel watches " + monitor.observes() + ". No static rule"
                        + " checks it; a violation is reported with this id at the driver line involved, or for the whole"
                        + " run.") + "\n";
    }

    /** The Markdown help of a rule without examples, as SARIF carries it. */
    public static String markdownHelp(Rule rule) {
        try {
            return markdown(rule, null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The Markdown page of a rule; examples come from {@code samples} (the rule's testdata directory) if it exists. */
    public static String markdown(Rule rule, Path samples) throws IOException {
        RuleInfo i = rule.info();
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(i.id()).append(": ").append(i.title()).append("\n\n");
        sb.append("<!-- generated from the rule's metadata by RuleDocs; do not edit -->\n\n");
        sb.append("| severity | precision | tags | since | SDV analog |\n|---|---|---|---|---|\n");
        sb.append("| ").append(i.severity().level()).append(" | ").append(i.precision()).append(" | ")
                .append(String.join(", ", i.tags())).append(" | ").append(i.since()).append(" | ")
                .append(i.sdv().isEmpty() ? "none" : i.sdv()).append(" |\n\n");
        sb.append("## What it finds\n\n").append(i.summary()).append("\n\n");
        sb.append("## Why it matters\n\n").append(i.rationale()).append("\n\n");
        sb.append("## At run time\n\n").append(atRunTime(i)).append("\n\n");
        sb.append("Source: <").append(i.source()).append(">\n");
        if (samples != null && Files.isDirectory(samples)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(samples)) {
                files = s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
            }
            example(sb, files, "Bad", "## Noncompliant example");
            example(sb, files, "Good", "## Compliant example");
        }
        return sb.toString();
    }

    private static void example(StringBuilder sb, List<Path> files, String prefix, String heading) throws IOException {
        for (Path f : files) {
            if (f.getFileName().toString().startsWith(prefix)) {
                String code = Files.readString(f);
                int start = code.indexOf("/**");
                sb.append('\n').append(heading).append(" (`testdata/rules/").append(f.getParent().getFileName())
                        .append('/').append(f.getFileName()).append("`)\n\n```java\n")
                        .append(start >= 0 ? code.substring(start) : code).append(code.endsWith("\n") ? "" : "\n")
                        .append("```\n");
                return;
            }
        }
    }

    /** The catalog as a Markdown table, one row per rule, linking the rule pages. */
    public static String table(List<Rule> rules, String linkPrefix) {
        StringBuilder sb = new StringBuilder("| id | severity | at run time | what it finds |\n|---|---|---|---|\n");
        for (Rule r : rules) {
            RuleInfo i = r.info();
            sb.append("| [").append(i.id()).append("](").append(linkPrefix).append(i.id()).append(".md) | ")
                    .append(i.severity().level()).append(" | ")
                    .append(Catalog.find(i.id()).map(m -> "monitor (" + m.component().label() + ")").orElse("static only"))
                    .append(" | ").append(i.summary()).append(" |\n");
        }
        return sb.toString();
    }

    /** The runtime monitors that no static rule shares an id with, as a Markdown table. */
    public static String runtimeOnlyTable(List<Rule> rules) {
        java.util.Set<String> ids = rules.stream().map(r -> r.info().id()).collect(Collectors.toSet());
        StringBuilder sb = new StringBuilder("| id | component | what it finds | what the kernel watches |\n"
                + "|---|---|---|---|\n");
        for (Monitor m : Catalog.monitors()) {
            if (!ids.contains(m.id())) {
                sb.append("| ").append(m.id()).append(" | ").append(m.component().label()).append(" | ")
                        .append(m.title()).append(" | ").append(m.observes()).append(" |\n");
            }
        }
        return sb.toString();
    }

    /** What the simulated kernel does about the rule: the monitor and what it watches, or why there is none. */
    public static String atRunTime(RuleInfo i) {
        return Catalog.find(i.id())
                .map(m -> "Runtime monitor (" + m.component().label() + "): the simulated kernel watches " + m.observes()
                        + ". Under `dpccheck simulate` a violation is reported at the driver line, with the same id.")
                .orElse("Static only: " + i.staticOnly());
    }

    /** The catalog as JSON: every rule's metadata. */
    public static String json(List<Rule> rules) {
        List<Object> out = new java.util.ArrayList<>();
        for (Rule r : rules) {
            RuleInfo i = r.info();
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("id", i.id());
            m.put("title", i.title());
            m.put("severity", i.severity().level());
            m.put("precision", i.precision());
            m.put("tags", List.of(i.tags()));
            m.put("summary", i.summary());
            m.put("source", i.source());
            m.put("sdv", i.sdv());
            m.put("runtime", Catalog.find(i.id()).map(x -> (Object) x.component().label()).orElse(null));
            if (!i.staticOnly().isEmpty()) {
                m.put("staticOnly", i.staticOnly());
            }
            out.add(m);
        }
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(out).replace("\r\n", "\n") + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String wrap(String text) {
        StringBuilder sb = new StringBuilder();
        int col = 0;
        for (String w : text.split(" ")) {
            if (col > 0 && col + 1 + w.length() > 100) {
                sb.append('\n');
                col = 0;
            } else if (col > 0) {
                sb.append(' ');
                col++;
            }
            sb.append(w);
            col += w.length();
        }
        return sb.toString();
    }
}
