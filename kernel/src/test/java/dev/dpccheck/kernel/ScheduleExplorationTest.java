package dev.dpccheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the machinery of schedule exploration: what a strategy is offered (labelled options, with
 * preemption at accesses to shared memory), that the workload does not depend on the strategy, and
 * that a trace replays exactly, or says where a changed driver left it.
 */
class ScheduleExplorationTest {
    /**
     * A driver whose open requests count themselves without a lock, in a field of the device
     * extension, in an element of an array it holds, and in a static field, and record the counts
     * when the device is removed: three opens of three threads give 3 unless two of them interleave
     * between the read and the write of a count.
     */
    private static final String COUNTING = """
            package t;

            import dev.dpccheck.wdm.*;
            import dev.dpccheck.kernel.Probe;
            import static dev.dpccheck.wdm.Wdm.*;

            @HardwareId("SIM\\\\DMADISK")
            public final class CountingDriver {
                static int StaticOpens;

                static final class Ext {
                    DeviceObject Lower;
                    int Opens;
                    int[] Counts = new int[2];
                }

                public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
                    DriverObject.DriverExtension.AddDevice = this::AddDevice;
                    for (int i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++) {
                        DriverObject.MajorFunction[i] = this::Record;
                    }
                    DriverObject.MajorFunction[IRP_MJ_CREATE] = this::Create;
                    DriverObject.MajorFunction[IRP_MJ_PNP] = this::Pnp;
                    StaticOpens = 0;
                    return STATUS_SUCCESS;
                }

                int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
                    Out<DeviceObject> created = new Out<>();
                    IoCreateDevice(DriverObject, Ext.class, null, FILE_DEVICE_DISK, 0, false, created);
                    Ext ext = (Ext) created.value.DeviceExtension;
                    ext.Lower = IoAttachDeviceToDeviceStack(created.value, Pdo);
                    created.value.Flags &= ~DO_DEVICE_INITIALIZING;
                    return STATUS_SUCCESS;
                }

                int Create(DeviceObject DeviceObject, Irp Irp) {
                    Ext ext = (Ext) DeviceObject.DeviceExtension;
                    int opens = ext.Opens;
                    ext.Opens = opens + 1;
                    int counted = ext.Counts[0];
                    ext.Counts[0] = counted + 1;
                    int statics = StaticOpens;
                    StaticOpens = statics + 1;
                    return Record(DeviceObject, Irp);
                }

                int Record(DeviceObject DeviceObject, Irp Irp) {
                    IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
                    Probe.record("request", stack.MajorFunction + " " + stack.Parameters.Read.Length + " "
                            + stack.Parameters.Read.ByteOffset + " " + stack.Parameters.DeviceIoControl.IoControlCode);
                    Irp.IoStatus.Status = STATUS_SUCCESS;
                    IoCompleteRequest(Irp, IO_NO_INCREMENT);
                    return STATUS_SUCCESS;
                }

                int Pnp(DeviceObject DeviceObject, Irp Irp) {
                    Ext ext = (Ext) DeviceObject.DeviceExtension;
                    if (IoGetCurrentIrpStackLocation(Irp).MinorFunction == IRP_MN_REMOVE_DEVICE) {
                        Probe.record("field", ext.Opens);
                        Probe.record("array", ext.Counts[0]);
                        Probe.record("static", StaticOpens);
                        IoSkipCurrentIrpStackLocation(Irp);
                        int status = IoCallDriver(ext.Lower, Irp);
                        IoDetachDevice(ext.Lower);
                        IoDeleteDevice(DeviceObject);
                        return status;
                    }
                    IoSkipCurrentIrpStackLocation(Irp);
                    return IoCallDriver(ext.Lower, Irp);
                }
            }
            """;

    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Probe.reset();
    }

    private DriverImage counting() throws Exception {
        Files.createDirectories(dir.resolve("t"));
        Files.writeString(dir.resolve("t/CountingDriver.java"), COUNTING);
        return DriverImage.compile(dir, System.getProperty("java.class.path"), n -> n.equals("dev/dpccheck/kernel/Probe"));
    }

    private static List<Integer> counts(String key) {
        return Probe.values(key).stream().map(v -> (Integer) v).collect(Collectors.toList());
    }

    @Test
    void aContextIsPreemptedBetweenPlainAccessesToSharedFieldsArrayElementsAndStatics() throws Exception {
        DriverImage image = counting();
        KernelConfig config = KernelConfig.defaults().withWorkload(3, 0);
        Simulation.run(image, config, 200, 1);
        for (String key : List.of("field", "array", "static")) {
            List<Integer> seen = counts(key);
            assertEquals(200, seen.size());
            assertTrue(seen.stream().allMatch(c -> c >= 1 && c <= 3), key + ": " + seen);
            assertTrue(seen.contains(2) || seen.contains(1), key + ": no update was lost in 200 schedules");
            assertTrue(seen.contains(3), key + ": every schedule lost an update");
        }
        // with Wdm calls as the only points, the increments never interleave
        Probe.reset();
        Simulation.run(image, config.withSharedMemoryPoints(false), 200, 1);
        for (String key : List.of("field", "array", "static")) {
            assertEquals(Set.of(3), new HashSet<>(counts(key)), key);
        }
    }

    /** A strategy that chooses at random and keeps every label it was offered. */
    private static final class Recording implements SchedulingStrategy {
        final SplittableRandom random = new SplittableRandom(3);
        final List<String> labels = new ArrayList<>();
        final List<String> targets = new ArrayList<>();

        @Override
        public int choose(List<Option> options) {
            for (Option o : options) {
                labels.add(o.label());
                if (o.target() != null) {
                    targets.add(o.target() + (o.writes() ? " w" : " r"));
                }
            }
            return random.nextInt(options.size());
        }
    }

    @Test
    void theStrategyIsOfferedLabelledOptionsWithTheirPendingOperations() throws Exception {
        Recording r = new Recording();
        new Kernel(DriverImage.compile(DriverCorpusTest.DRIVERS.resolve("dmadisk")), KernelConfig.defaults(), r, 7).run();
        assertTrue(r.labels.stream().anyMatch(l -> l.matches("User thread \\d of dmadisk0: writes DiskExtension#\\d+\\.\\w+ on CPU\\d")),
                "no write of the device extension offered");
        assertTrue(r.labels.stream().anyMatch(l -> l.matches("User thread \\d of dmadisk0: calls IoAcquireRemoveLock\\(IoRemoveLock#\\d+, Irp#\\d+\\) on CPU\\d")));
        assertTrue(r.labels.stream().anyMatch(l -> l.matches("ISR of dmadisk0: is delivered on CPU\\d")));
        assertTrue(r.labels.stream().anyMatch(l -> l.matches("DpcForIsr of dmadisk#0: starts on CPU\\d")), r.labels.stream()
                .filter(l -> l.contains("Dpc")).findFirst().orElse("no DPC"));
        assertTrue(r.labels.stream().anyMatch(l -> l.matches("device dmadisk0: event at \\d+ us")));
        assertTrue(r.targets.stream().anyMatch(t -> t.matches("DiskExtension#\\d+\\.\\w+ w")));
        assertTrue(r.targets.stream().anyMatch(t -> t.matches("KInterrupt#\\d+ w")), "no interrupt (KeSynchronizeExecution) target");
    }

    @Test
    void twoStrategiesRunTheSameWorkload() throws Exception {
        DriverImage image = counting();
        KernelConfig config = KernelConfig.defaults().withWorkload(3, 6);
        List<List<String>> seen = new ArrayList<>();
        List<Long> digests = new ArrayList<>();
        for (Exploration e : List.of(Exploration.random(), Exploration.pct(3), Exploration.pos())) {
            Probe.reset();
            Simulation.Report r = Simulation.run(image, config, e, 1, 42);
            seen.add(Probe.values("request").stream().map(Object::toString).sorted().collect(Collectors.toList()));
            digests.add(r.schedules().get(0).choiceDigest());
        }
        assertEquals(3 * 6 + 2 * 3, seen.get(0).size(), "requests and opens and closes: " + seen.get(0));
        assertEquals(seen.get(0), seen.get(1));
        assertEquals(seen.get(0), seen.get(2));
        assertEquals(3, new HashSet<>(digests).size(), "the strategies took the same decisions: " + digests);
    }

    @Test
    void theDepthFirstSearchTakesADifferentScheduleEachTimeAndEnds() throws Exception {
        DriverImage image = counting();
        Simulation.Report r = Simulation.run(image, KernelConfig.defaults().withWorkload(2, 0), Exploration.dfs(1), 5000, 1);
        Set<Long> digests = r.schedules().stream().map(ScheduleResult::choiceDigest).collect(Collectors.toSet());
        assertEquals(r.schedules().size(), digests.size(), "a schedule was taken twice");
        assertTrue(r.schedules().size() > 10, "only " + r.schedules().size() + " schedules");
        assertTrue(r.schedules().size() < 5000, "the search did not end within 5000 schedules");
        assertNotNull(r.ended());
    }

    private Simulation.Report traced(Path driver, Exploration e) throws Exception {
        DriverImage image = DriverImage.compile(driver);
        return Simulation.run(image, KernelConfig.defaults(), e, 20, 1, Long.MAX_VALUE, null, true, null, null, null);
    }

    private static Path seeded(String name) {
        return DriverCorpusTest.DRIVERS.resolve("seeded").resolve(name);
    }

    @Test
    void aTraceReplaysExactlyInThisJvm() throws Exception {
        Simulation.Report r = traced(seeded("double-completion"), Exploration.pct(2));
        assertNotNull(r.trace(), "no schedule showed the violation");
        Path file = dir.resolve("run.trace");
        Files.writeString(file, r.trace());
        Trace.Recorded recorded = Trace.read(file);
        assertEquals("pct:2", recorded.header().strategy());
        assertFalse(recorded.violations().isEmpty());

        Replay.Result replay = Replay.run(seeded("double-completion"), file);
        assertNull(replay.divergence());
        assertFalse(replay.sourceChanged());
        assertTrue(replay.reproduced());
        assertEquals(recorded.events(), replay.events(), "the replay's interleaving differs from the recorded one");
        assertTrue(replay.interleaving().contains("DoubleCompletion"), replay.interleaving());
        // a boolean field is written as it is read, true or false, not as the int the JVM stores
        List<String> flags = recorded.events().stream().map(Trace.Event::text)
                .filter(t -> t.matches("(reads|writes) DiskExtension#\\d+\\.WriteToDevice = .*")).toList();
        assertTrue(flags.stream().anyMatch(t -> t.startsWith("writes ")), flags.toString());
        assertTrue(flags.stream().allMatch(t -> t.endsWith(" = true") || t.endsWith(" = false")), flags.toString());
        // twice the same
        assertEquals(replay.events(), Replay.run(seeded("double-completion"), file).events());
    }

    @Test
    void aReplayOfAChangedDriverSaysWhereItLeftTheTrace() throws Exception {
        Path copy = dir.resolve("driver");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(seeded("shared-context-unsynchronized"))) {
            for (Path f : files.collect(Collectors.toList())) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Simulation.Report r = traced(copy, Exploration.random());
        assertNotNull(r.trace());
        Path file = dir.resolve("run.trace");
        Files.writeString(file, r.trace());
        Path source = copy.resolve("DmaDiskDriver.java");
        String text = Files.readString(source);
        String edited = text.replace("ext.OperationPending = false; // expect: SharedContextUnsynchronized (confirmed)",
                "ext.OperationPending = ext.OperationPending && false;");
        assertNotEquals(text, edited);
        Files.writeString(source, edited);

        Replay.Result replay = Replay.run(copy, file);
        assertTrue(replay.sourceChanged());
        assertNotNull(replay.divergence());
        assertTrue(replay.divergence().matches("at decision \\d+ of \\d+ \\(step \\d+ of the recorded run\\) the trace chose '.+'"
                + " of \\d+ options; the run now offers .+"), replay.divergence());
        assertFalse(replay.reproduced());
        assertTrue(replay.interleaving().contains("diverged from the trace: at decision"));
    }

    @Test
    void aFileThatIsNotATraceOfThisVersionIsRefusedInOneSentence() throws Exception {
        Path junk = dir.resolve("junk.trace");
        Files.writeString(junk, "hello\n");
        Trace.BadTraceException e = assertThrows(Trace.BadTraceException.class, () -> Trace.read(junk));
        assertEquals("'" + junk + "' is not a dpccheck trace.", e.getMessage());

        Simulation.Report r = traced(seeded("double-completion"), Exploration.random());
        Path old = dir.resolve("old.trace");
        Files.writeString(old, r.trace().replace("tool\t" + Kernel.VERSION + "\n", "tool\t0.0.1\n"));
        e = assertThrows(Trace.BadTraceException.class, () -> Trace.read(old));
        assertTrue(e.getMessage().contains("was written by dpccheck 0.0.1"), e.getMessage());

        Path damaged = dir.resolve("damaged.trace");
        Files.writeString(damaged, r.trace().replaceFirst("\nchoice\t\\d+\t", "\nchoice\tx\t"));
        e = assertThrows(Trace.BadTraceException.class, () -> Trace.read(damaged));
        assertTrue(e.getMessage().matches("'.*' is not a well-formed dpccheck trace: line \\d+ is damaged\\."), e.getMessage());
    }
}
