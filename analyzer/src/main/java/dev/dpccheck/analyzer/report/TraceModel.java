package dev.dpccheck.analyzer.report;

import dev.dpccheck.kernel.Trace;
import dev.dpccheck.kernel.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A trace's events up to its first violation, each with what the reports draw of it: the routines
 * open on its processor (so an ISR over the DPC it interrupted is one deeper) and that processor's
 * IRQL; and where the violation goes. The SARIF code flow ({@link TraceFlow}) and the HTML trace
 * view ({@link TraceView}) both read a trace through this.
 */
final class TraceModel {
    private static final Pattern ENTERS = Pattern.compile("^enters (\\S+) at (\\S+(?: \\d+)?)$");
    private static final Pattern RETURNS = Pattern.compile("^\\S+ returns( .*)?$");
    private static final Pattern SETS_IRQL = Pattern.compile("; IRQL (\\S+(?: \\d+)?)$");
    private static final Pattern ON_CPU = Pattern.compile("CPU(\\d+)");

    /**
     * One event and what is drawn of it.
     *
     * @param order the event's place in the whole trace, from 0
     * @param level the routines open on its processor, less one (0 outermost)
     * @param irql the IRQL of the innermost routine open on its processor after the event, or null
     *     (off every processor, or no routine open)
     * @param routine for the entry of a routine, its name; else null
     * @param returns whether the event is the return of the innermost open routine
     * @param in the innermost routine open on its processor at the event (the one that returns, for
     *     a return), or null
     */
    record Step(int order, Trace.Event event, int level, String irql, String routine, boolean returns, String in) {
    }

    final Trace.Recorded trace;
    /** The first violation, or null. */
    final Violation violation;
    /** The events up to the violation's step (all of them without a violation). */
    final List<Step> steps = new ArrayList<>();
    /** The processor of the violation (-1: off every processor), and the routines open there then. */
    final int violationCpu;
    final List<String> openAtViolation;

    TraceModel(Trace.Recorded trace) {
        this.trace = trace;
        this.violation = trace.violations().isEmpty() ? null : trace.violations().get(0);
        List<Trace.Event> events = trace.events();
        Map<Integer, List<String>> irqls = new TreeMap<>();
        // beside each IRQL, the routine that runs at it
        Map<Integer, List<String>> routines = new TreeMap<>();
        for (int i = 0; i < events.size(); i++) {
            Trace.Event e = events.get(i);
            if (violation != null && e.step() > violation.step()) {
                break;
            }
            List<String> stack = irqls.computeIfAbsent(e.cpu(), c -> new ArrayList<>());
            List<String> names = routines.computeIfAbsent(e.cpu(), c -> new ArrayList<>());
            String text = e.text();
            int level;
            String routine = null;
            boolean returns = false;
            Matcher enters = ENTERS.matcher(text);
            Matcher sets = SETS_IRQL.matcher(text);
            String in = names.isEmpty() ? null : names.get(names.size() - 1);
            if (enters.find()) {
                stack.add(enters.group(2));
                routine = enters.group(1);
                names.add(routine);
                in = routine;
                level = stack.size() - 1;
            } else if (RETURNS.matcher(text).matches() && !stack.isEmpty()) {
                level = stack.size() - 1;
                stack.remove(stack.size() - 1);
                names.remove(names.size() - 1);
                returns = true;
            } else {
                if (sets.find() && !stack.isEmpty()) {
                    stack.set(stack.size() - 1, sets.group(1));
                }
                level = Math.max(0, stack.size() - 1);
            }
            String irql = e.cpu() < 0 || stack.isEmpty() ? null : stack.get(stack.size() - 1);
            steps.add(new Step(i, e, level, irql, routine, returns, in));
        }
        // the violation goes on the CPU its context named, or else where that context's last event ran
        int where = -1;
        if (violation != null) {
            Matcher cpu = ON_CPU.matcher(violation.context());
            where = cpu.find() ? Integer.parseInt(cpu.group(1)) : -1;
            for (int i = steps.size() - 1; i >= 0 && where < 0; i--) {
                if (violation.context().startsWith(steps.get(i).event().actor())) {
                    where = steps.get(i).event().cpu();
                }
            }
        }
        violationCpu = where;
        openAtViolation = List.copyOf(irqls.getOrDefault(where, List.of()));
    }

    /** The IRQL of the violation's processor when it showed, or null. */
    String irqlAtViolation() {
        return violationCpu < 0 || openAtViolation.isEmpty() ? null : openAtViolation.get(openAtViolation.size() - 1);
    }

    /** The nesting level of the violation on its processor. */
    int levelAtViolation() {
        return Math.max(0, openAtViolation.size() - 1);
    }
}
