package dev.dpccheck.analyzer.report;

import com.contrastsecurity.sarif.CodeFlow;
import com.contrastsecurity.sarif.Location;
import com.contrastsecurity.sarif.Message;
import com.contrastsecurity.sarif.MultiformatMessageString;
import com.contrastsecurity.sarif.State;
import com.contrastsecurity.sarif.ThreadFlow;
import com.contrastsecurity.sarif.ThreadFlowLocation;
import dev.dpccheck.kernel.Trace;
import dev.dpccheck.kernel.Violation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final Pattern ENTERS = Pattern.compile("^enters \\S+ at (\\S+(?: \\d+)?)$");
    private static final Pattern SETS_IRQL = Pattern.compile("; IRQL (\\S+(?: \\d+)?)$");
    private static final Pattern ON_CPU = Pattern.compile("CPU(\\d+)");

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
        Violation v = t.violations().get(0);
        List<Trace.Event> events = t.events();
        int end = 0;
        while (end < events.size() && events.get(end).step() <= v.step()) {
            end++;
        }
        int start = Math.max(0, end - WINDOW);
        Map<Integer, List<ThreadFlowLocation>> byCpu = new TreeMap<>();
        Map<Integer, List<String>> irqls = new TreeMap<>();
        for (int i = 0; i < end; i++) {
            Trace.Event e = events.get(i);
            List<String> stack = irqls.computeIfAbsent(e.cpu(), c -> new ArrayList<>());
            String text = e.text();
            int level;
            Matcher enters = ENTERS.matcher(text);
            Matcher sets = SETS_IRQL.matcher(text);
            if (enters.find()) {
                stack.add(enters.group(1));
                level = stack.size() - 1;
            } else if (text.matches("^\\S+ returns( .*)?$") && !stack.isEmpty()) {
                level = stack.size() - 1;
                stack.remove(stack.size() - 1);
            } else {
                if (sets.find() && !stack.isEmpty()) {
                    stack.set(stack.size() - 1, sets.group(1));
                }
                level = Math.max(0, stack.size() - 1);
            }
            if (i < start) {
                continue;
            }
            Location where = e.where() == null ? new Location().withMessage(new Message().withText(e.actor() + ": " + text))
                    : locate.apply(e, Path.of(t.header().driver()).resolve(e.file()).normalize());
            ThreadFlowLocation l = new ThreadFlowLocation().withExecutionOrder(i + 1).withNestingLevel(level)
                    .withLocation(where);
            if (e.cpu() >= 0 && !stack.isEmpty()) {
                l.withState(new State().withAdditionalProperty("irql",
                        new MultiformatMessageString().withText(stack.get(stack.size() - 1))));
            }
            byCpu.computeIfAbsent(e.cpu(), c -> new ArrayList<>()).add(l);
        }
        // the violation goes on the CPU its context named, or else where that context's last event ran
        Matcher cpu = ON_CPU.matcher(v.context());
        int where = cpu.find() ? Integer.parseInt(cpu.group(1)) : -1;
        for (int i = end - 1; i >= 0 && where < 0; i--) {
            if (v.context().startsWith(events.get(i).actor())) {
                where = events.get(i).cpu();
            }
        }
        List<String> open = irqls.getOrDefault(where, List.of());
        ThreadFlowLocation shown = new ThreadFlowLocation().withExecutionOrder(end + 1)
                .withNestingLevel(Math.max(0, open.size() - 1))
                .withImportance(ThreadFlowLocation.Importance.ESSENTIAL).withLocation(at);
        if (where >= 0 && !open.isEmpty()) {
            shown.withState(new State().withAdditionalProperty("irql",
                    new MultiformatMessageString().withText(open.get(open.size() - 1))));
        }
        byCpu.computeIfAbsent(where, c -> new ArrayList<>()).add(shown);
        List<ThreadFlow> flows = new ArrayList<>();
        byCpu.forEach((c, ls) -> flows.add(new ThreadFlow().withId(c < 0 ? "devices, timers, threads off CPU" : "CPU" + c)
                .withLocations(ls)));
        return new CodeFlow().withMessage(new Message().withText("Schedule " + t.header().seed() + " of the simulated"
                + " kernel: the last " + (end - start) + " of " + end + " events up to the violation, by CPU; the whole"
                + " trace: " + file)).withThreadFlows(flows);
    }
}
