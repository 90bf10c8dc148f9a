package dev.dpccheck.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpccheck.kernel.KernelConfig;
import dev.dpccheck.kernel.Steering;
import dev.dpccheck.kernel.Trace;
import dev.dpccheck.kernel.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace view of a long trace, made by hand: what is drawn, what is collapsed, what joins the race. */
class TraceViewTest {
    @TempDir
    Path dir;

    /**
     * A thread on CPU1 writes {@code X#1.F} early; 2000 events and a device's event later, a DPC on
     * CPU0, at DISPATCH_LEVEL, reads it at T.java:4, where the race is reported.
     */
    private Trace.Recorded trace() throws Exception {
        Files.writeString(dir.resolve("T.java"), "class T {\n  int F;\n  void Dpc() {\n    int x = F; // <the read>\n  }\n}\n");
        List<Trace.Event> events = new ArrayList<>();
        int step = 0;
        events.add(new Trace.Event(step++, 0, 1, "User thread 0", "enters Dispatch at PASSIVE_LEVEL", null));
        events.add(new Trace.Event(step++, 1, 1, "User thread 0", "writes X#1.F = 7", "T.java:2"));
        for (int i = 0; i < 2000; i++) {
            events.add(new Trace.Event(step++, 2 + i, 1, "User thread 0", "calls KeStallExecutionProcessor(1) <&>", "T.java:2"));
        }
        events.add(new Trace.Event(step++, 2999, -1, "-", "device sim0: event at 2999 us", null));
        events.add(new Trace.Event(step++, 3000, 0, "Dpc of t#0", "enters Dpc at DISPATCH_LEVEL", null));
        events.add(new Trace.Event(step++, 3001, 0, "Dpc of t#0", "reads X#1.F = 7", "T.java:4"));
        Violation v = new Violation("DataRace", "'Dpc' reads 'X.F' <unordered>", "T.java", 4, "Dpc", "Dpc of t#0 on CPU0",
                3001, step - 1);
        // after the violation: not drawn
        events.add(new Trace.Event(step++, 3002, 1, "User thread 0", "writes X#1.F = 9", "T.java:2"));
        Trace.Header h = new Trace.Header(1, "0.1.0", dir.toString(), "0", KernelConfig.defaults(), 1, "pct:2",
                Steering.NONE);
        return new Trace.Recorded(h, List.of(v), List.of(), events);
    }

    @Test
    void aLongTraceDrawsItsLastEventsAndJoinsTheRaceToTheCollapsedPart() throws Exception {
        String page = TraceView.page(trace(), dir, "t");
        Document d = Jsoup.parse(page);
        // the last 400 events up to the violation's step, each a mark but the DPC's entry (a block); the write
        // after the violation is not drawn
        assertEquals(TraceView.WINDOW - 1, d.select("svg.timeline g.mark").size());
        assertNotNull(d.selectFirst("svg.timeline g.collapsed"));
        assertTrue(d.selectFirst("p.trace-about").text().contains("the first 1605 are collapsed"),
                d.selectFirst("p.trace-about").text());
        List<String> lanes = d.select("svg.timeline g.lane").eachAttr("data-lane");
        assertEquals(List.of("CPU0", "CPU1", "device sim0"), lanes);
        // the write among the collapsed events, joined to the read at the violation's line
        Element race = d.selectFirst("svg.timeline g.race");
        assertNotNull(race);
        assertTrue(race.attr("data-detail").contains("writes X#1.F = 7 (T.java:2)")
                && race.attr("data-detail").contains("reads X#1.F = 7 (T.java:4)")
                && race.attr("data-detail").endsWith("the first is among the collapsed events"), race.attr("data-detail"));
        // the DPC ran at DISPATCH_LEVEL: a hatched band and a block on CPU0; the read's detail has its routine and line
        assertNotNull(d.selectFirst("svg.timeline rect.irql-dispatch"));
        assertTrue(d.select("svg.timeline g.routine title").eachText().contains("Dpc in Dpc of t#0 at DISPATCH_LEVEL"));
        Element read = d.select("svg.timeline g.mark.read").last();
        assertTrue(read.attr("data-detail").contains("; in Dpc at DISPATCH_LEVEL (T.java:4: int x = F; // <the read>)"),
                read.attr("data-detail"));
        // driver text is escaped: no element comes from it
        assertTrue(page.contains("&lt;&amp;&gt;") && page.contains("&lt;the read&gt;") && page.contains("&lt;unordered&gt;"));
        assertTrue(d.select("the, unordered").isEmpty());
        // the same trace, the same bytes
        assertEquals(page, TraceView.page(trace(), dir, "t"));
    }

    @Test
    void theCollapsedPartSaysWhatRanThereAndTheOverviewColumnsCoverEveryEvent() throws Exception {
        Document d = Jsoup.parse(TraceView.page(trace(), dir, "t"));
        Element collapsed = d.selectFirst("svg.timeline g.collapsed");
        assertEquals("1605 earlier events, steps 0 to 1604, collapsed. CPU1: 1605 events (Dispatch)."
                + " The overview's columns show them part by part; 'dpccheck replay --html --window 0' draws them all.",
                collapsed.attr("data-detail"));
        // 120 columns; their ranges cover the 2005 events up to the violation once each, in order
        List<Element> buckets = d.select("svg.overview g.bucket");
        assertEquals(120, buckets.size());
        int next = 1;
        for (Element b : buckets) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^Events (\\d+) to (\\d+) of 2005 ")
                    .matcher(b.attr("data-detail"));
            assertTrue(m.find(), b.attr("data-detail"));
            assertEquals(next, Integer.parseInt(m.group(1)));
            next = Integer.parseInt(m.group(2)) + 1;
        }
        assertEquals(2006, next);
        // a column of the drawn part brings the timeline there; one of the collapsed part cannot
        Element last = buckets.get(buckets.size() - 1);
        assertTrue(last.attr("data-detail").contains(", drawn): CPU0: 2 events (Dpc); CPU1:"), last.attr("data-detail"));
        assertTrue(last.hasAttr("data-x"));
        assertTrue(buckets.get(0).attr("data-detail").contains(", collapsed): CPU1:") && !buckets.get(0).hasAttr("data-x"));
        // with a window of 0 every event is drawn, and nothing is collapsed
        Document whole = Jsoup.parse(TraceView.page(trace(), dir, "t", 0));
        assertEquals(2005 - 1 - 1, whole.select("svg.timeline g.mark").size());
        assertTrue(whole.select("svg.timeline g.collapsed").isEmpty());
        assertTrue(whole.selectFirst("p.trace-about").text().contains("2005 events up to the violation; all are drawn"));
        assertTrue(whole.selectFirst("svg.timeline g.race").attr("data-detail").endsWith("nothing ordering them"));
    }

    /**
     * On CPU0 a DPC runs; the device interrupts it, the ISR runs and returns, the DPC goes on and
     * calls a routine of its own; on CPU1 a thread's dispatch routine runs all along.
     */
    @Test
    void anIsrIsDrawnOverTheDpcItInterruptedAndACalledRoutineOverItsCaller() throws Exception {
        Files.writeString(dir.resolve("T.java"), "class T {\n}\n");
        List<Trace.Event> events = new ArrayList<>();
        int step = 0;
        events.add(new Trace.Event(step++, 0, 1, "User thread 0", "enters Dispatch at PASSIVE_LEVEL", null));
        events.add(new Trace.Event(step++, 1, 0, "Dpc of t#0", "enters Dpc at DISPATCH_LEVEL", null));
        events.add(new Trace.Event(step++, 2, 0, "Dpc of t#0", "reads X#1.F = 1", "T.java:1"));
        events.add(new Trace.Event(step++, 3, 0, "ISR of t0", "enters IsrRoutine (Isr) at DIRQL 7", null));
        events.add(new Trace.Event(step++, 4, 0, "ISR of t0", "writes X#1.G = 2", "T.java:1"));
        events.add(new Trace.Event(step++, 5, 0, "ISR of t0", "IsrRoutine returns true", null));
        events.add(new Trace.Event(step++, 6, 0, "Dpc of t#0", "enters Sync at DIRQL 7", null));
        events.add(new Trace.Event(step++, 7, 0, "Dpc of t#0", "Sync returns true", null));
        events.add(new Trace.Event(step++, 8, 0, "Dpc of t#0", "Dpc returns", null));
        events.add(new Trace.Event(step++, 9, 1, "User thread 0", "Dispatch returns 0", null));
        Trace.Header h = new Trace.Header(1, "0.1.0", dir.toString(), "0", KernelConfig.defaults(), 1, "pct:2",
                Steering.NONE);
        Document d = Jsoup.parse(TraceView.page(new Trace.Recorded(h, List.of(), List.of(), events), dir, "t"));
        Element dpc = routine(d, "Dpc in Dpc of t#0 at DISPATCH_LEVEL");
        Element isr = routine(d, "IsrRoutine (Isr) in ISR of t0 at DIRQL 7, interrupting Dpc (Dpc of t#0)");
        Element sync = routine(d, "Sync in Dpc of t#0 at DIRQL 7, called by Dpc");
        Element dispatch = routine(d, "Dispatch in User thread 0 at PASSIVE_LEVEL");
        // over: higher on the page, within the time the DPC runs, drawn after it (on top)
        assertTrue(y(isr) < y(dpc) && y(sync) == y(isr), "the ISR and the called routine are one level over the DPC");
        assertTrue(x(isr) > x(dpc) && x(isr) + width(isr) <= x(dpc) + width(dpc));
        assertTrue(d.select("svg.timeline g.routine").indexOf(isr) > d.select("svg.timeline g.routine").indexOf(dpc));
        assertEquals("dirql", isr.className().replaceAll(".*routine-", ""));
        // the dispatch routine runs at the outer level of its own lane, as the DPC does in its own
        assertEquals(y(dpc) + 96, y(dispatch));
    }

    /**
     * Thread 0 enters its dispatch routine on CPU0; thread 1 is switched in there and enters its
     * own; thread 0 runs again on CPU1, races on a static field with thread 1 and returns there.
     * The view has a lane for each CPU of the machine, though CPU2 ran nothing.
     */
    @Test
    void aThreadSwitchedOutOrMovedEndsItsBlockAndRunsAgainWhereItGoes() throws Exception {
        Files.writeString(dir.resolve("T.java"), "class T {\n  static int N;\n  void Helper() {\n    N++;\n  }\n}\n");
        List<Trace.Event> events = new ArrayList<>();
        int step = 0;
        events.add(new Trace.Event(step++, 0, 0, "User thread 0", "enters Dispatch at PASSIVE_LEVEL", null));
        events.add(new Trace.Event(step++, 1, 0, "User thread 0", "calls KeQuerySystemTime()", "T.java:4"));
        events.add(new Trace.Event(step++, 2, 0, "User thread 1", "enters Dispatch at PASSIVE_LEVEL", null));
        events.add(new Trace.Event(step++, 3, 0, "User thread 1", "writes static T.N = 1", "T.java:4"));
        // the violation's step: the read at the callee's line it names, then another event of the same step, not drawn
        events.add(new Trace.Event(step, 4, 1, "User thread 0", "reads static T.N = 1", "T.java:4"));
        events.add(new Trace.Event(step, 5, 1, "User thread 0", "calls KeStallExecutionProcessor(1)", "T.java:3"));
        events.add(new Trace.Event(step, 5, 1, "User thread 0", "Dispatch returns 0", null));
        Violation v = new Violation("DataRace", "'Dispatch' reads 'static T.N' (in 'Helper' at line 4).", "T.java", 9,
                "Dispatch", "User thread 0 on CPU1", 5, step);
        Trace.Header h = new Trace.Header(1, "0.1.0", dir.toString(), "0",
                new KernelConfig(3, 0.0, 2, 1, 1000, 60_000, true), 1, "pct:2", Steering.NONE);
        Document d = Jsoup.parse(TraceView.page(new Trace.Recorded(h, List.of(v), List.of(), events), dir, "t"));
        assertEquals(List.of("CPU0", "CPU1", "CPU2"), d.select("svg.timeline g.lane").eachAttr("data-lane"));
        // thread 0's routine ends on CPU0 when thread 1 comes, and runs again on CPU1; thread 1's is not over it
        Element first = routine(d, "Dispatch in User thread 0 at PASSIVE_LEVEL");
        Element second = routine(d, "Dispatch in User thread 1 at PASSIVE_LEVEL");
        Element again = routine(d, "Dispatch in User thread 0 at PASSIVE_LEVEL, running again");
        assertEquals(y(first), y(second));
        assertEquals(x(first) + width(first), x(second));
        assertEquals(y(first) + 96, y(again));
        assertEquals("0", second.attr("data-level"));
        // the race on the static field is joined; the drawing ends at the violation's event (the read at line 4), so
        // the stall call after it in the same step is not drawn
        assertTrue(d.selectFirst("svg.timeline g.race").attr("data-detail").contains("writes static T.N = 1 (T.java:4)"));
        Element last = d.select("svg.timeline g.mark").last();
        assertTrue(last.attr("data-detail").contains("reads static T.N = 1"), last.attr("data-detail"));
    }

    /** A stall names the line that parked the IRP; that line's last event is joined to the violation. */
    @Test
    void aViolationOfTheWholeRunIsJoinedToTheDriverLineItsMessageNames() throws Exception {
        Files.writeString(dir.resolve("T.java"), "class T {\n  void Dispatch() {\n    IoStartPacket();\n  }\n}\n");
        List<Trace.Event> events = new ArrayList<>();
        int step = 0;
        events.add(new Trace.Event(step++, 0, 0, "User thread 0", "enters Dispatch at PASSIVE_LEVEL", null));
        events.add(new Trace.Event(step++, 1, 0, "User thread 0", "calls IoStartPacket(DeviceObject#1, Irp#2)", "T.java:3"));
        events.add(new Trace.Event(step++, 2, 0, "User thread 0", "Dispatch returns 259", null));
        for (int i = 0; i < 500; i++) {
            events.add(new Trace.Event(step++, 3 + i, -1, "-", "IoTimer of t#0: expires at " + (3 + i) + " us", null));
        }
        // a second IRP parked at the same line later: the arc goes to the one the message names
        events.add(new Trace.Event(step++, 600, 0, "User thread 1", "enters Dispatch at PASSIVE_LEVEL", null));
        events.add(new Trace.Event(step++, 601, 0, "User thread 1", "calls IoStartPacket(DeviceObject#1, Irp#20)", "T.java:3"));
        events.add(new Trace.Event(step++, 602, 0, "User thread 1", "Dispatch returns 259", null));
        Violation v = new Violation("IrpNeverCompleted", "2 IRPs were never completed; the driver last parked the first,"
                + " Irp#2, with 'IoStartPacket' at drivers/t/T.java:3 in 'Dispatch'.", null, 0, "-", "-", 603, step);
        Trace.Header h = new Trace.Header(1, "0.1.0", dir.toString(), "0", KernelConfig.defaults(), 1, "pct:2",
                Steering.NONE);
        Document d = Jsoup.parse(TraceView.page(new Trace.Recorded(h, List.of(v), List.of(), events), dir, "t"));
        Element cited = d.selectFirst("svg.timeline g.cited");
        assertNotNull(cited);
        assertEquals("The line the violation names, T.java:3, for Irp#2, last ran at step 1: User thread 0 calls"
                + " IoStartPacket(DeviceObject#1, Irp#2); among the collapsed events", cited.attr("data-detail"));
        assertTrue(d.selectFirst("dl.trace-legend").text().contains("dotted arc"));
        assertTrue(d.select("svg.timeline g.race").isEmpty());
        // the timer's expiries have their lane
        assertEquals(List.of("CPU0", "CPU1", "timers"), d.select("svg.timeline g.lane").eachAttr("data-lane"));
    }

    /**
     * The ISR writes a field, then a DPC writes it in the step the kernel saw the race, and reads
     * another field in the same step. The kernel locates the race at the ISR's line, and names the
     * DPC's line in its message: the drawing ends at the DPC's write. The same accesses under
     * another rule get no race arc: they may be ordered.
     */
    @Test
    void aRaceLocatedAtItsFirstAccessEndsAtTheSecondAndOnlyARaceHasItsArc() throws Exception {
        Files.writeString(dir.resolve("T.java"), "class T {\n  int F;\n  void Isr() { F = 1; }\n  void Dpc() { F = 2; }\n}\n");
        List<Trace.Event> events = new ArrayList<>();
        events.add(new Trace.Event(0, 0, 0, "ISR of t0", "enters Isr at DIRQL 7", null));
        events.add(new Trace.Event(1, 1, 0, "ISR of t0", "writes X#1.F = 1", "T.java:3"));
        events.add(new Trace.Event(2, 2, 0, "ISR of t0", "Isr returns true", null));
        events.add(new Trace.Event(3, 3, 1, "Dpc of t#0", "enters Dpc at DISPATCH_LEVEL", null));
        events.add(new Trace.Event(4, 4, 1, "Dpc of t#0", "writes X#1.F = 2", "T.java:4"));
        // the same line, the same step, another field: not the violating access
        events.add(new Trace.Event(4, 4, 1, "Dpc of t#0", "reads Y#2.H = 0", "T.java:4"));
        events.add(new Trace.Event(4, 4, 1, "Dpc of t#0", "reads X#1.G = 0", "T.java:2"));
        Trace.Header h = new Trace.Header(1, "0.1.0", dir.toString(), "0", KernelConfig.defaults(), 1, "pct:2",
                Steering.NONE);
        Violation race = new Violation("DataRace", "'Dpc' writes 'X.F' at line 4 (Dpc of t#0 on CPU1) and ISR of t0"
                + " wrote it at line 3 of t/T.java, with nothing ordering the two accesses.", "T.java", 3, "Dpc",
                "Dpc of t#0 on CPU1", 4, 4);
        Document d = Jsoup.parse(TraceView.page(new Trace.Recorded(h, List.of(race), List.of(), events), dir, "t"));
        assertTrue(d.select("svg.timeline g.mark").last().attr("data-detail").contains("writes X#1.F = 2"));
        assertTrue(d.selectFirst("svg.timeline g.race").attr("data-detail").contains("ISR of t0 writes X#1.F = 1 (T.java:3)"));
        Violation other = new Violation("SharedContextUnsynchronized", "'Dpc' writes 'X.F', which the ISR writes,"
                + " outside a SynchCritSection.", "T.java", 4, "Dpc", "Dpc of t#0 on CPU1", 4, 4);
        Document o = Jsoup.parse(TraceView.page(new Trace.Recorded(h, List.of(other), List.of(), events), dir, "t"));
        assertTrue(o.select("svg.timeline g.race").isEmpty());
        assertTrue(o.select("svg.timeline g.mark").last().attr("data-detail").contains("writes X#1.F = 2"));
    }

    private static Element routine(Document d, String title) {
        for (Element g : d.select("svg.timeline g.routine")) {
            if (g.selectFirst("title").text().equals(title)) {
                return g;
            }
        }
        throw new AssertionError("no routine block titled '" + title + "' in " + d.select("svg.timeline g.routine title")
                .eachText());
    }

    private static int y(Element g) {
        return Integer.parseInt(g.selectFirst("rect").attr("y"));
    }

    private static int x(Element g) {
        return Integer.parseInt(g.selectFirst("rect").attr("x"));
    }

    private static int width(Element g) {
        return Integer.parseInt(g.selectFirst("rect").attr("width"));
    }
}
