package dev.dpccheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dpccheck audit --validate}: findings confirmed by the simulated kernel, with traces that replay. */
class ValidateCommandTest {
    private static final String VARIANT = "../testdata/drivers/seeded/start-next-too-early";

    @TempDir
    Path dir;

    @Test
    void theSeededFindingIsConfirmedWithATraceThatReplays() throws Exception {
        Path traces = dir.resolve("traces");
        // the search ends once the finding has shown and a tenth of the budget has run: 20 schedules, where the
        // race no finding predicts shows too (in schedule 12 of seed 1)
        Cli r = Cli.run("audit", "--validate", "--schedules", "200", "--traces", traces.toString(), VARIANT);
        assertEquals(1, r.code(), r.err());
        String[] lines = r.out().split("\n");
        int at = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("error [StartNextPacketTooEarly]")) {
                at = i;
            }
        }
        assertTrue(at >= 0, r.out());
        assertTrue(lines[at + 3].startsWith("    validation: confirmed after "), r.out());
        String replay = lines[at + 4].substring("    replay: dpccheck replay ".length());
        assertTrue(Files.isRegularFile(Path.of(replay)), replay);
        // what the kernel found that the analyzer did not predict is reported too, as found by simulation
        assertTrue(r.out().contains("error [PartialTransferShort]"), r.out());
        assertTrue(r.out().contains("    validation: found-by-simulation after "), r.out());
        assertTrue(r.out().endsWith("validation: 1 confirmed, 2 found-by-simulation\n"), r.out());
        Cli replayed = Cli.run("replay", replay);
        assertEquals(1, replayed.code(), replayed.out() + replayed.err());
        assertTrue(replayed.out().contains("violation StartNextPacketTooEarly at "), replayed.out());
        // each violation's trace replays that violation, not only the first one of its schedule
        String race = r.out().lines().filter(l -> l.startsWith("    replay: ") && l.contains("DataRace-"))
                .findFirst().orElseThrow().substring("    replay: dpccheck replay ".length());
        Cli raced = Cli.run("replay", race);
        assertTrue(raced.out().contains("replayed exactly: the same violation, DataRace at "), raced.out());
        // the same sources, seed and budget give the same report
        Cli again = Cli.run("audit", "--validate", "--schedules", "200", "--traces", traces.toString(), VARIANT);
        assertEquals(r.out(), again.out());
    }

    @Test
    void jsonAndSarifCarryTheValidation() throws Exception {
        Path traces = dir.resolve("traces");
        Cli json = Cli.run("audit", "--validate", "--schedules", "20", "--traces", traces.toString(), "--format",
                "json", VARIANT);
        JsonNode findings = new ObjectMapper().readTree(json.out()).path("findings");
        boolean confirmed = false;
        for (JsonNode f : findings) {
            if (f.path("ruleId").asText().equals("StartNextPacketTooEarly")) {
                assertEquals("confirmed", f.path("validation").path("status").asText(), f.toString());
                assertTrue(f.path("validation").path("replay").asText().startsWith("dpccheck replay "), f.toString());
                confirmed = true;
            }
        }
        assertTrue(confirmed, json.out());
        Cli sarif = Cli.run("audit", "--validate", "--schedules", "20", "--traces", traces.toString(), "--format",
                "sarif", VARIANT);
        assertEquals(Set.of(), SarifTest.validate(sarif.out()));
        assertTrue(sarif.out().contains("\"status\" : \"confirmed\""), sarif.out());
        // the schedule that confirmed it, CPU by CPU, after the static witness
        JsonNode result = null;
        for (JsonNode x : new ObjectMapper().readTree(sarif.out()).path("runs").path(0).path("results")) {
            if (x.path("ruleId").asText().equals("StartNextPacketTooEarly")) {
                result = x;
            }
        }
        JsonNode flows = result.path("codeFlows");
        assertEquals(2, flows.size(), result.toString());
        int last = 0;
        JsonNode violation = null;
        java.util.TreeSet<Integer> orders = new java.util.TreeSet<>();
        for (JsonNode t : flows.path(1).path("threadFlows")) {
            assertTrue(t.path("id").asText().matches("CPU\\d|devices, timers, threads off CPU"), t.path("id").asText());
            int previous = 0;
            for (JsonNode l : t.path("locations")) {
                int order = l.path("executionOrder").asInt();
                assertTrue(order > previous, "executionOrder rises within a thread flow");
                previous = order;
                orders.add(order);
                if (order > last) {
                    last = order;
                    violation = l;
                }
                if (t.path("id").asText().startsWith("CPU")) {
                    assertTrue(l.path("nestingLevel").asInt(-1) >= 0, l.toString());
                    // a driver's call or access names its line
                    String text = l.path("location").path("message").path("text").asText();
                    if (text.contains(": calls ") || text.contains(": reads ") || text.contains(": writes ")) {
                        assertTrue(l.path("location").path("physicalLocation").path("region").path("startLine").asInt()
                                > 0, l.toString());
                    }
                }
            }
        }
        assertEquals("essential", violation.path("importance").asText(), violation.toString());
        assertEquals(result.path("locations").path(0).path("physicalLocation").path("region").path("startLine").asInt(),
                violation.path("location").path("physicalLocation").path("region").path("startLine").asInt());
        assertTrue(sarif.out().contains("\"irql\" : {"), "the IRQL is in the state");
        // the same sources, seed and budget: the same log, byte for byte
        Cli again = Cli.run("audit", "--validate", "--schedules", "20", "--traces", traces.toString(), "--format",
                "sarif", VARIANT);
        assertEquals(sarif.out(), again.out());
    }

    @Test
    void aDriverWithoutASimulatedDeviceIsNotValidatedAndTheReferenceDriversHaveNoFindings() throws Exception {
        Cli sample = Cli.run("audit", "--validate", "--schedules", "5", "--traces", dir.toString(),
                "../testdata/rules/DoubleCompletion");
        assertTrue(sample.out().contains("    validation: not-validated: no class of its driver declares '@HardwareId'"),
                sample.out());
        Cli reference = Cli.run("audit", "--validate", "--schedules", "20", "--traces", dir.toString(),
                "../testdata/drivers/dmadisk");
        assertEquals(0, reference.code(), reference.out() + reference.err());
        assertEquals("0 findings in 2 files analyzed (2 read)\n", reference.out());
    }

    @Test
    void theConfirmedGateFailsOnlyOnDemonstratedFindings() throws Exception {
        // a rule sample's finding cannot be validated (no simulated device): the confirmed gate passes it
        Cli sample = Cli.run("audit", "--validate", "--fail-on-confirmed", "--schedules", "5", "--traces", dir.toString(),
                "../testdata/rules/DoubleCompletion");
        assertTrue(sample.out().contains("error [DoubleCompletion]"), sample.out());
        assertEquals(0, sample.code(), sample.out());
        Cli seeded = Cli.run("audit", "--validate", "--fail-on-confirmed", "--schedules", "20", "--traces",
                dir.toString(), VARIANT);
        assertEquals(1, seeded.code(), seeded.out());
        assertEquals(2, Cli.run("audit", "--fail-on-confirmed", VARIANT).code());
    }

    /**
     * The reference DmaDisk driver with a cleanup routine that completes twice (registered, but the
     * default workload closes its handles without IRP_MJ_CLEANUP), and {@code createClose} put at
     * the start of its create/close routine, which every handle runs.
     */
    private Path dmadiskWith(String createClose) throws Exception {
        Path driver = dir.resolve("dmadisk");
        Files.createDirectories(driver);
        try (var files = Files.list(Path.of("../testdata/drivers/dmadisk"))) {
            for (Path f : files.collect(java.util.stream.Collectors.toList())) {
                Files.copy(f, driver.resolve(f.getFileName()));
            }
        }
        Path source = driver.resolve("DmaDiskDriver.java");
        String text = Files.readString(source);
        String registration = "        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = this::DispatchDeviceControl;\n";
        String createCloseStart = "    int DispatchCreateClose(DeviceObject DeviceObject, Irp Irp) {\n";
        assertTrue(text.contains(registration) && text.contains(createCloseStart));
        text = text.replace(registration, registration
                + "        DriverObject.MajorFunction[IRP_MJ_CLEANUP] = this::DispatchCleanup;\n");
        text = text.replace(createCloseStart, createCloseStart + createClose);
        int last = text.lastIndexOf('}');
        text = text.substring(0, last) + """
                    @Role(DriverDispatch.class)
                    int DispatchCleanup(DeviceObject DeviceObject, Irp Irp) {
                        Irp.IoStatus.Status = STATUS_SUCCESS;
                        IoCompleteRequest(Irp, IO_NO_INCREMENT);
                        IoCompleteRequest(Irp, IO_NO_INCREMENT);
                        return STATUS_SUCCESS;
                    }
                }
                """;
        Files.writeString(source, text);
        return driver;
    }

    @Test
    void aFindingInARoutineTheWorkloadNeverCallsIsNotExercised() throws Exception {
        Path driver = dmadiskWith("");
        Cli r = Cli.run("audit", "--validate", "--schedules", "10", "--traces", dir.resolve("traces").toString(),
                driver.toString());
        assertTrue(r.out().contains("error [DoubleCompletion]"), r.out());
        assertTrue(r.out().contains("    validation: not-exercised: 'DmaDiskDriver.DispatchCleanup' was never entered in 10"
                + " schedules"), r.out());
    }

    @Test
    void aFindingOnABranchNeverTakenIsNotExercisedAndNamesTheLine() throws Exception {
        // the IRP's Information is 0 when it arrives: the branch never runs
        Path driver = dmadiskWith("""
                        if (Irp.IoStatus.Information == 0x7fff0000) {
                            IoCompleteRequest(Irp, IO_NO_INCREMENT);
                            IoCompleteRequest(Irp, IO_NO_INCREMENT);
                            return STATUS_SUCCESS;
                        }
                """);
        Cli r = Cli.run("audit", "--validate", "--schedules", "10", "--traces", dir.resolve("traces").toString(),
                driver.toString());
        String[] lines = r.out().split("\n");
        int line = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("error [DoubleCompletion]") && !lines[i + 3].contains("DispatchCleanup")) {
                line = Integer.parseInt(lines[i].split(":")[1]);
                assertEquals("    validation: not-exercised: line " + line + " never ran in 10 schedules, though"
                        + " 'DmaDiskDriver.DispatchCreateClose' was entered: the branch to it was never taken",
                        lines[i + 3], r.out());
            }
        }
        assertTrue(line > 0, r.out());
    }

    @Test
    void aDriverThatExhaustsTheMemoryLeavesItsFindingsIntactAndNotReproduced() throws Exception {
        Path driver = dmadiskWith("""
                        long[][] hog = new long[1 << 20][];
                        for (int i = 0; i < hog.length; i++) {
                            hog[i] = new long[1 << 16];
                        }
                """);
        Cli r = Cli.run("audit", "--validate", "--schedules", "10", "--traces", dir.resolve("traces").toString(),
                driver.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("error [DoubleCompletion]"), r.out());
        assertTrue(r.out().contains("    validation: not-reproduced: "), r.out());
        assertTrue(r.out().contains("memory"), r.out());
    }

    @Test
    void badValidationOptionsAreUsageErrors() {
        Cli r = Cli.run("audit", "--validate", "--strategy", "nope", VARIANT);
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("dpccheck: "), r.err());
        assertEquals(2, Cli.run("audit", "--validate", "--schedules", "0", VARIANT).code());
    }
}
