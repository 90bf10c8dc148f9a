package dev.dpccheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The happens-before race detector on whole drivers: a reference driver and a copy of it with one
 * change, each run under PCT; the copy must show the race at the changed lines, the reference none.
 */
class DataRaceTest {
    private static final int SCHEDULES = 200;

    @TempDir
    Path dir;

    /** A copy of {@code driver} with {@code from} replaced by {@code to} in {@code file}. */
    private Path copy(String driver, String file, String from, String to) throws IOException {
        Path source = DriverCorpusTest.DRIVERS.resolve(driver);
        Path target = dir.resolve(driver);
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.collect(Collectors.toList())) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        Path f = target.resolve(file);
        String text = Files.readString(f);
        String changed = text.replace(from, to);
        assertNotEquals(text, changed, "the change did not apply");
        Files.writeString(f, changed);
        return target;
    }

    private static List<Violation> races(Path driver) throws Exception {
        Simulation.Report r = Simulation.run(DriverImage.compile(driver), KernelConfig.defaults().withFaultRate(0.05),
                Exploration.pct(2), SCHEDULES, 1);
        return r.violations().values().stream().filter(v -> v.rule().equals("DataRace")).collect(Collectors.toList());
    }

    private static int lineOf(Path file, String text) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }

    @Test
    void aDpcThatReadsWhatTheIsrWritesRacesWithoutKeSynchronizeExecutionAndNotWithIt() throws Exception {
        assertEquals(List.of(), races(DriverCorpusTest.DRIVERS.resolve("uart")));
        Path unsynchronized = copy("uart", "UartDriver.java",
                "KeSynchronizeExecution(ext.Interrupt, this::FillReads, batch);", "FillReads(batch);");
        List<Violation> races = races(unsynchronized);
        assertTrue(races.stream().anyMatch(v -> v.message().contains("'UartExtension.RingCount'")
                && v.message().contains("ISR of uart0")), races.toString());
        int fillReads = lineOf(unsynchronized.resolve("UartDriver.java"), "boolean FillReads(");
        int receiveDpc = lineOf(unsynchronized.resolve("UartDriver.java"), "void ReceiveDpc(");
        for (Violation v : races) {
            // blamed on the receive DPC's unlocked accesses (racing the ISR, or the same DPC run on the other processor)
            assertTrue(v.line() > fillReads && v.line() < receiveDpc, v.toString());
        }
    }

    @Test
    void aFlagThatADispatchRoutineAndTheDpcTouchOnlyUnderTheQueueLockIsNoRace() throws Exception {
        // the driver-managed queue of late-count-after-handover, with the byte count read before the hand-off
        Path ordered = copy("seeded/late-count-after-handover", "DmaDiskDriver.java",
                "        irp.IoStatus.Status = status;\n        ext.OperationIrp = null;",
                "        irp.IoStatus.Status = status;\n"
                        + "        irp.IoStatus.Information = status == STATUS_SUCCESS ? ext.BytesDone : 0;\n"
                        + "        ext.OperationIrp = null;");
        Path f = ordered.resolve("DmaDiskDriver.java");
        Files.writeString(f, Files.readString(f).replace(
                "        irp.IoStatus.Information = status == STATUS_SUCCESS ? ext.BytesDone : 0; // expect: DataRace (confirmed)\n", ""));
        assertEquals(List.of(), races(ordered));
        List<Violation> late = races(DriverCorpusTest.DRIVERS.resolve("seeded/late-count-after-handover"));
        assertTrue(late.stream().anyMatch(v -> v.message().contains("'DiskExtension.BytesDone'")), late.toString());
        assertTrue(late.stream().noneMatch(v -> v.message().contains("'DiskExtension.Busy'")), late.toString());
        // the race is blamed on the DPC's late read, whichever side saw it: the report names the DPC's context
        for (Violation v : late) {
            assertTrue(v.context().startsWith("DpcForIsr of "), v.toString());
        }
    }

    @Test
    void aRaceOnAnArrayElementIsNamed() throws Exception {
        Path variant = DriverCorpusTest.DRIVERS.resolve("seeded/ring-state-array-lost-update");
        List<Violation> races = races(variant);
        int line = lineOf(variant.resolve("UartDriver.java"), "ext.RingState[COUNT] = ext.RingState[COUNT] - batch.Taken;");
        assertTrue(races.stream().anyMatch(v -> v.line() == line && v.message().contains("element 1 of int array")),
                races.toString());
    }
}
