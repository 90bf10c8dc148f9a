package dev.dpccheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The monitors that name a cause where the oracles see a consequence. */
class RootCauseTest {
    private static List<Violation> run(Path driver, int threads, String rule) throws Exception {
        Simulation.Report r = Simulation.run(DriverImage.compile(driver),
                KernelConfig.defaults().withWorkload(threads, 8), Exploration.pct(2), 100, 1);
        return r.violations().values().stream().filter(v -> v.rule().equals(rule)).collect(Collectors.toList());
    }

    @Test
    void startingTheNextPacketTooEarlyIsReportedOnlyWhenTheNextRequestOverwroteWhatTheDpcUses() throws Exception {
        Path variant = DriverCorpusTest.DRIVERS.resolve("seeded").resolve("start-next-too-early");
        // one user thread: IoStartNextPacket never finds a request to start, nothing is overwritten
        assertEquals(List.of(), run(variant, 1, "StartNextPacketTooEarly"));
        List<Violation> three = run(variant, 3, "StartNextPacketTooEarly");
        assertEquals(1, three.size(), three.toString());
        assertTrue(three.get(0).message().matches("'IoStartNextPacket' is called before the last read of "
                + "'DiskExtension\\.\\w+' at line \\d+, which the request it started has overwritten\\."), three.toString());
        // the reference driver calls IoStartNextPacket as late as it can: never
        assertEquals(List.of(), run(DriverCorpusTest.DRIVERS.resolve("dmadisk"), 3, "StartNextPacketTooEarly"));
    }

    @Test
    void aCompletionLostToACoalescedDpcRequestIsReportedAtTheRequest() throws Exception {
        Path variant = DriverCorpusTest.DRIVERS.resolve("seeded").resolve("shared-dpc-coalescing-loss");
        List<Violation> lost = run(variant, 3, "DpcCoalescingLoss");
        assertTrue(!lost.isEmpty());
        for (Violation v : lost) {
            assertTrue(v.message().matches("'CustomDpc' was already queued with 'DeviceObject#\\d+', so this request for"
                    + " 'DeviceObject#\\d+' returned FALSE and the DPC never ran for it\\."), v.toString());
        }
        // the serial driver queues its receive DPC from the ISR and the dispatch routine, always with the same arguments
        assertEquals(List.of(), run(DriverCorpusTest.DRIVERS.resolve("uart"), 3, "DpcCoalescingLoss"));
    }

    @Test
    void aStalledQueueAndItsRequestsNameTheLastDriverCallsThatMovedThem() throws Exception {
        Path variant = DriverCorpusTest.DRIVERS.resolve("seeded").resolve("dpc-missing-start-next");
        List<Violation> stalled = run(variant, 3, "DeviceQueueStalled");
        assertTrue(!stalled.isEmpty());
        // the DPC completed the current IRP and never started the next one
        assertTrue(stalled.get(0).message().endsWith("; its current request was completed by 'IoCompleteRequest' at "
                + variant.resolve("DmaDiskDriver.java") + ":" + lineOf(variant, "IoCompleteRequest(irp, IO_DISK_INCREMENT);")
                + " in 'DpcForIsr' and nothing started the next."), stalled.toString());
        List<Violation> lost = run(variant, 3, "IrpNeverCompleted");
        // the first IRP by the label traces give it, so that a trace view finds the event that parked it
        assertTrue(lost.get(0).message().matches(".*; the driver last parked the first, Irp#\\d+, with 'IoStartPacket' at "
                + java.util.regex.Pattern.quote(variant.resolve("DmaDiskDriver.java") + ":"
                        + lineOf(variant, "IoStartPacket(DeviceObject, Irp, null, null);") + " in 'DispatchReadWrite'.")),
                lost.toString());
    }

    private static int lineOf(Path driver, String text) throws Exception {
        List<String> lines = java.nio.file.Files.readAllLines(driver.resolve("DmaDiskDriver.java"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text);
    }
}
