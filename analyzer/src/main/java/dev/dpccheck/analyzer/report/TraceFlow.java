package dev.dpccheck.analyzer.report;

import com.contrastsecurity.sarif.CodeFlow;
import com.contrastsecurity.sarif.Location;
import com.contrastsecurity.sarif.Message;
import com.contrastsecurity.sarif.MultiformatMessageString;
import com.contrastsecurity.sarif.State;
import com.contrastsecurity.sarif.ThreadFlow;
import com.contrastsecurity.sarif.ThreadFlowLocation;
import dev.dpccheck.kernel.Trace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The interleaving of a validated finding's trace as a SARIF {@code codeFlow}: one {@code
 * threadFlow} per virtual CPU (and one for the devices and timers, and threads off every CPU), each
 * location an event of the trace with its global {@code executionOrder}, its {@code nestingLevel}
 * (the routines open on that CPU: an ISR over the DPC it interrupted is one deeper), and the CPU's
 * IRQL in {@code state}. The last {@link #WINDOW} events up to the violation are given, the
 * violation itself last at its source line; the whole schedule is in the trace file.
 */
final class TraceFlow {
    /** The events before the violation a code flow shows. */
    static final int WINDOW = 200;

    private TraceFlow() {
    }

    /**
     * The code flow of the trace in {@code file}, ending at the violation at {@code at}; null when
     * the trace cannot be read. {@code locate} makes the location of an event's driver line (the
     * file absolute) with the event as its message.
     */
    static CodeFlow of(Path file, Location at, java.util.function.BiFunction<Trace.Event, Path, Location> locate) {
        Trace.Recorded t;
        try {
            t = Trace.read(file);
        } catch (IOException | Trace.BadTraceException e) {
            return null;
        }
        if (t.violations().isEmpty()) {
            return null;
        }
        TraceModel m = new TraceModel(t);
        int end = m.steps.size();
        int start = Math.max(0, end - WINDOW);
        Map<Integer, List<ThreadFlowLocation>> byCpu = new TreeMap<>();
        for (TraceModel.Step s : m.steps.subList(start, end)) {
            Trace.Event e = s.event();
            Location where = e.where() == null ? new Location().withMessage(new Message().withText(e.actor() + ": "
                    + e.text())) : locate.apply(e, Path.of(t.header().driver()).resolve(e.file()).normalize());
            ThreadFlowLocation l = new ThreadFlowLocation().withExecutionOrder(s.order() + 1).withNestingLevel(s.level())
                    .withLocation(where);
            if (s.irql() != null) {
                l.withState(new State().withAdditionalProperty("irql", new MultiformatMessageString().withText(s.irql())));
            }
            byCpu.computeIfAbsent(e.cpu(), c -> new ArrayList<>()).add(l);
        }
        ThreadFlowLocation shown = new ThreadFlowLocation().withExecutionOrder(end + 1)
                .withNestingLevel(m.levelAtViolation())
                .withImportance(ThreadFlowLocation.Importance.ESSENTIAL).withLocation(at);
        if (m.irqlAtViolation() != null) {
            shown.withState(new State().withAdditionalProperty("irql",
                    new MultiformatMessageString().withText(m.irqlAtViolation())));
        }
        byCpu.computeIfAbsent(m.violationCpu, c -> new ArrayList<>()).add(shown);
        List<ThreadFlow> flows = new ArrayList<>();
        byCpu.forEach((c, ls) -> flows.add(new ThreadFlow().withId(c < 0 ? "devices, timers, threads off CPU" : "CPU" + c)
                .withLocations(ls)));
        return new CodeFlow().withMessage(new Message().withText("Schedule " + t.header().seed() + " of the simulated"
                + " kernel: the last " + (end - start) + " of " + end + " events up to the violation, by CPU; the whole"
                + " trace: " + file)).withThreadFlows(flows);
    }
}
