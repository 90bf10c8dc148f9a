package dev.dpccheck.kernel.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The marker syntax of testdata, as every test and benchmark reads it. */
class MarkersTest {
    private static final Path FILE = Paths.get("x", "Driver.java");

    private static List<String> parse(String line) {
        List<Markers.Marker> out = new ArrayList<>();
        Markers.parse(FILE, 7, line, out);
        return out.stream().map(m -> m.kind() + ":" + m.rule() + (m.confirmed() ? "!" : ""))
                .collect(Collectors.toList());
    }

    @Test
    void listsWithAndWithoutConfirmation() {
        assertEquals(List.of("EXPECT:IrqlTooHigh"), parse("Wait(); // expect: IrqlTooHigh"));
        assertEquals(List.of("EXPECT:SharedContextUnsynchronized!", "EXPECT:DataRace!"),
                parse("x = y; // expect: SharedContextUnsynchronized (confirmed), DataRace (confirmed)"));
        assertEquals(List.of("EXPECT:SpinLock", "EXPECT:DataRace!"), parse("// expect: SpinLock, DataRace (confirmed)"));
        assertEquals(List.of("EXPECT_RUN:IrpNeverCompleted"), parse("        // expect-run: IrpNeverCompleted"));
    }

    @Test
    void aRemarkInParenthesesEndsTheList() {
        assertEquals(List.of("EXPECT:DataRace"),
                parse("ext.Opens++; // expect: DataRace (two user threads open the device at once, without a lock)"));
    }

    @Test
    void severalMarkersOnOneLine() {
        assertEquals(List.of("SPURIOUS:DmaResourceLeak", "MISSING:DmaFlushMissing"),
                parse("Free(); // spurious: DmaResourceLeak // missing: DmaFlushMissing"));
        assertEquals(List.of(), parse("// nothing expected here: IrqlTooHigh"));
    }

    @Test
    void runtimeExpectationsAreTheConfirmedAndTheWholeRunOnes() {
        List<Markers.Marker> all = new ArrayList<>();
        Markers.parse(FILE, 3, "a(); // expect: IrqlTooHigh", all);
        Markers.parse(FILE, 4, "b(); // expect: MarkIrpPending (confirmed), DataRace (confirmed)", all);
        Markers.parse(FILE, 5, "// expect-run: DeviceQueueStalled", all);
        Markers.parse(FILE, 6, "c(); // missing: DoubleCompletion (confirmed)", all);
        Markers.parse(FILE, 8, "d(); // missing: StartNextPacketTooEarly // spurious: SpinLock", all);
        SortedSet<String> run = Markers.runtimeExpectations(all);
        assertEquals(List.of("Driver.java:4:DataRace", "Driver.java:4:MarkIrpPending", "Driver.java:6:DoubleCompletion",
                "run:DeviceQueueStalled"),
                List.copyOf(run));
    }
}
