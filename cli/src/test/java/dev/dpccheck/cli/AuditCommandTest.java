package dev.dpccheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dpccheck audit}, {@code rules} and {@code explain} end to end: output, exit codes, bad input. */
class AuditCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        Cli r = Cli.run(args);
        out.append(r.out());
        err.append(r.err());
        return r.code();
    }

    private static final String DPC = Cli.DPC;

    @Test
    void theReferenceDriversHaveNoFindings() {
        assertEquals(0, run("audit", "../testdata/drivers/dmadisk", "../testdata/drivers/uart"), err.toString());
        assertEquals("0 findings in 4 files analyzed (4 read)\n", out.toString());
    }

    @Test
    void aFindingIsPrintedWithItsLineAndCaretAndExitsOne() throws Exception {
        Files.writeString(dir.resolve("T.java"), String.format(DPC, ""));
        assertEquals(1, run("audit", dir.toString()));
        String[] lines = out.toString().split("\n");
        assertEquals(dir.resolve("T.java") + ":8:9: error [IrqlTooHigh] 'KeWaitForSingleObject' is called at"
                + " DISPATCH_LEVEL; it must be called at or below APC_LEVEL with a non-zero or no timeout.", lines[0]);
        assertEquals("        KeWaitForSingleObject(new KEvent(), Executive, KernelMode, false, null);", lines[1]);
        String call = "KeWaitForSingleObject(new KEvent(), Executive, KernelMode, false, null)";
        assertEquals("        ^" + "~".repeat(call.length() - 1), lines[2]);
        assertEquals("1 finding in 1 file analyzed (1 read)", lines[3]);
    }

    @Test
    void suppressWarningsHidesTheFindingAndTheGatePasses() throws Exception {
        Files.writeString(dir.resolve("T.java"), String.format(DPC, "").replace("    @Role(IoDpcRoutine.class)",
                "    @SuppressWarnings(\"dpccheck:IrqlTooHigh\")\n    @Role(IoDpcRoutine.class)"));
        assertEquals(0, run("audit", dir.toString()));
        assertTrue(out.toString().startsWith("0 findings (1 suppressed)"), out.toString());
    }

    @Test
    void failOnAndRuleSelectionDecideTheExitCode() throws Exception {
        Files.writeString(dir.resolve("T.java"), String.format(DPC, ""));
        assertEquals(0, run("audit", "--fail-on", "never", dir.toString()));
        assertEquals(0, run("audit", "--disable", "IrqlTooHigh", dir.toString()));
        assertEquals(0, run("audit", "--rules", "DoubleCompletion", dir.toString()));
        assertEquals(1, run("audit", "--rules", "IrqlTooHigh,DoubleCompletion", dir.toString()));
    }

    @Test
    void badInputIsOneSentenceAndExitTwo() {
        assertEquals(2, run("audit", "--rules", "NoSuchRule", "../testdata/drivers/uart"));
        assertEquals("dpccheck: there is no rule 'NoSuchRule'; 'dpccheck rules' lists them.\n", err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("audit", dir.resolve("missing").toString()));
        assertEquals("dpccheck: '" + dir.resolve("missing") + "' does not exist.\n", err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("audit", "--fail-on", "sometimes", dir.toString()));
        assertTrue(err.toString().startsWith("dpccheck: --fail-on must be"), err.toString());
    }

    @Test
    void unparsableAndNonUtf8FilesAreNotificationsAndTheRestIsAnalyzed() throws Exception {
        Files.writeString(dir.resolve("T.java"), String.format(DPC, ""));
        Files.writeString(dir.resolve("Broken.java"), "package t;\nimport dev.dpccheck.wdm.*;\nclass Broken { void f( }\n");
        Files.write(dir.resolve("Latin1.java"), new byte[] {'c', 'l', 'a', 's', 's', ' ', 'X', ' ', '{', (byte) 0xE9, '}'});
        assertEquals(1, run("audit", dir.toString()));
        assertTrue(out.toString().contains("[IrqlTooHigh]"), out.toString());
        assertTrue(out.toString().endsWith("1 finding in 1 file analyzed (3 read); 2 notifications\n"), out.toString());
        assertTrue(err.toString().contains("Broken.java:3: The file does not parse and was not analyzed"), err.toString());
        assertTrue(err.toString().contains("Latin1.java: The file is not valid UTF-8 and was not analyzed."),
                err.toString());
    }

    @Test
    void rulesListsTheCatalogAndExplainDescribesOne() {
        assertEquals(0, run("rules"));
        assertTrue(out.toString().contains("StartNextPacketTooEarly"), out.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, run("explain", "StartNextPacketTooEarly"));
        assertTrue(out.toString().startsWith("StartNextPacketTooEarly: Next packet started too early\n"), out.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, run("explain", "DataRace"));
        assertTrue(out.toString().startsWith("DataRace: Two contexts access a shared field or element, one of them writing,"
                + " with nothing ordering the accesses.\nchecked only at run time, component Ke\n"), out.toString());
        assertEquals(2, run("explain", "Nope"));
    }
}
