package dev.dpccheck.analyzer.report;

import dev.dpccheck.kernel.Trace;
import dev.dpccheck.kernel.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A trace's events up to its first violation, each with what the reports draw of it: how deep it
 * runs on its processor (an ISR over the DPC it interrupted is one deeper) and that processor's
 * IRQL; the routines as segments, one per stretch a routine ran on one processor; and where the
 * violation goes. The SARIF code flow ({@link TraceFlow}) and the HTML trace view ({@link
 * TraceView}) both read a trace through this.
 *
 * <p>Routines are kept per context (a thread, a DPC, an ISR, a timer), not per processor: a thread
 * the kernel moves to another processor, or switches out for another thread, leaves its routines
 * open; the stretch on the first processor ends, and one begins where it runs again. On each
 * processor the contexts running are kept in the order they came: the running one is on top; one
 * that comes at an IRQL above the top's interrupts it (its routines are drawn over); one that comes
 * at an IRQL no higher than those on top replaces them (they were switched out). A DPC or ISR is a
 * context per processor, since the same DPC may run on two processors at once; a thread is one
 * context wherever it runs.
 */
final class TraceModel {
    private static final Pattern ENTERS = Pattern.compile("^enters (\\S+(?: \\(\\S+\\))?) at (\\S+(?: \\d+)?)$");
    /** A routine's return, as the kernel records it: {@code BlkDpcForIsr returns 0}. */
    static final Pattern RETURNS = Pattern.compile("^\\S+ returns( .*)?$");
    private static final Pattern SETS_IRQL = Pattern.compile("; IRQL (\\S+(?: \\d+)?)$");
    private static final Pattern ON_CPU = Pattern.compile("CPU(\\d+)");
    /** A name a message quotes: {@code 'IoCompleteRequest'}, {@code 'KqExtension.BytesSinceTick'}. */
    private static final Pattern QUOTED = Pattern.compile("'([A-Za-z_][\\w.]*)'");
    /** A line of the violation's file its message names: "(in 'X' at line N)", "... at line N (context) and ...". */
    private static final Pattern AT_LINE = Pattern.compile("\\bat line (\\d+)\\b");

    /**
     * One event and what is drawn of it.
     *
     * @param order the event's place in the whole trace, from 0
     * @param level how deep it runs on its processor, from 0: the routines open beneath it there,
     *     its context's and those of the contexts it interrupted, less one
     * @param irql the IRQL of its processor after the event, or null (off every processor, or no
     *     routine running there)
     * @param routine for the entry of a routine, its name: its method and the role it plays
     *     ({@code BlkDpcForIsr (DpcForIsr)}), or the role alone; else null
     * @param returns whether the event is the return of its context's innermost routine
     * @param in its context's innermost routine at the event (the one that returns, for a return),
     *     or null
     */
    record Step(int order, Trace.Event event, int level, String irql, String routine, boolean returns, String in) {
    }

    /**
     * A stretch of one routine on one processor: from the step it entered or ran again (index into
     * {@link #steps}) to the step it returned or stopped running there ({@code to} exclusive; the
     * number of steps when it was still running at the end), {@code level} routines beneath it.
     *
     * @param over what the routine beneath it says of it: "called by X", "interrupting X (context)",
     *     or null at level 0
     * @param resumed whether it began by running again (after a switch or a move), not by its entry
     */
    record Segment(int cpu, String context, String routine, String irql, int from, int to, int level, String over,
            boolean resumed) {
    }

    final Trace.Recorded trace;
    /** The first violation, or null. */
    final Violation violation;
    /** The events up to the violation's (all of them without a violation). */
    final List<Step> steps = new ArrayList<>();
    /** The routines, by the step where they end. */
    final List<Segment> segments = new ArrayList<>();
    /** The processor of the violation (-1: off every processor), and the IRQLs open there then, outermost first. */
    final int violationCpu;
    final List<String> openAtViolation;
    /**
     * Where the violation happened, as events name lines ({@code File.java:N}): its line and the
     * lines of its file its message names ("(in 'X' at line N)": the helper it happened in; a
     * race's "writes F at line N ... and read it at line M": the access that revealed it, which
     * the kernel may locate at the other's line); empty for a violation of the whole run.
     */
    final List<String> violationLines;

    /** A routine open in a context. */
    private static final class Frame {
        final String routine;
        String irql;
        /** Where its current stretch began, or -1 while its context is not running. */
        int from = -1;
        boolean resumed;
        String over;

        Frame(String routine, String irql) {
            this.routine = routine;
            this.irql = irql;
        }
    }

    /** A context: its open routines, innermost last, and the processor it runs on (-1: none). */
    private static final class Context {
        final String name;
        final List<Frame> frames = new ArrayList<>();
        int cpu = -1;

        Context(String name) {
            this.name = name;
        }

        String irql() {
            return frames.isEmpty() ? "PASSIVE_LEVEL" : frames.get(frames.size() - 1).irql;
        }
    }

    TraceModel(Trace.Recorded trace) {
        this.trace = trace;
        this.violation = trace.violations().isEmpty() ? null : trace.violations().get(0);
        List<String> lines = new ArrayList<>();
        if (violation != null && violation.file() != null) {
            lines.add(violation.file() + ":" + violation.line());
            Matcher in = AT_LINE.matcher(violation.message());
            while (in.find()) {
                lines.add(violation.file() + ":" + in.group(1));
            }
        }
        // contains(null) is false here, where an immutable copy would throw
        this.violationLines = java.util.Collections.unmodifiableList(lines);
        List<Trace.Event> events = trace.events();
        int end = end(events);
        Map<String, Context> threads = new HashMap<>();
        Map<String, Context> perCpu = new HashMap<>();
        Map<Integer, List<Context>> running = new TreeMap<>();
        for (int i = 0; i < end; i++) {
            Trace.Event e = events.get(i);
            String text = e.text();
            if (e.cpu() < 0) {
                steps.add(new Step(i, e, 0, null, null, false, null));
                continue;
            }
            List<Context> on = running.computeIfAbsent(e.cpu(), c -> new ArrayList<>());
            Matcher enters = ENTERS.matcher(text);
            boolean entering = enters.find();
            // the context: a thread wherever it runs (it entered its first routine below DISPATCH_LEVEL), else per processor
            String onThisCpu = e.actor() + "\u0000" + e.cpu();
            Context c = threads.get(e.actor());
            if (c == null) {
                c = perCpu.get(onThisCpu);
            }
            if (c == null) {
                c = new Context(e.actor());
                if (!entering || TraceView.band(enters.group(2)).equals("passive")) {
                    threads.put(e.actor(), c);
                } else {
                    perCpu.put(onThisCpu, c);
                }
            }
            arrive(c, e.cpu(), on, running, i, entering ? enters.group(2) : null);
            int below = below(on, c);
            int level;
            String routine = null;
            boolean returns = false;
            String in = c.frames.isEmpty() ? null : c.frames.get(c.frames.size() - 1).routine;
            if (entering) {
                Frame f = new Frame(enters.group(1), enters.group(2));
                f.over = over(c, on);
                f.from = i;
                c.frames.add(f);
                if (!on.contains(c)) {
                    on.add(c);
                    c.cpu = e.cpu();
                }
                routine = f.routine;
                in = routine;
                level = below + c.frames.size() - 1;
            } else if (RETURNS.matcher(text).matches() && !c.frames.isEmpty()) {
                level = below + c.frames.size() - 1;
                Frame f = c.frames.remove(c.frames.size() - 1);
                close(f, c, e.cpu(), below + c.frames.size(), i + 1);
                returns = true;
                if (c.frames.isEmpty()) {
                    on.remove(c);
                    c.cpu = -1;
                }
            } else {
                Matcher sets = SETS_IRQL.matcher(text);
                if (sets.find() && !c.frames.isEmpty()) {
                    c.frames.get(c.frames.size() - 1).irql = sets.group(1);
                }
                level = below + Math.max(0, c.frames.size() - 1);
            }
            String irql = on.isEmpty() ? null : on.get(on.size() - 1).irql();
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
        List<String> open = new ArrayList<>();
        for (Context o : running.getOrDefault(where, List.of())) {
            o.frames.forEach(f -> open.add(f.irql));
        }
        openAtViolation = List.copyOf(open);
        // the routines still running at the end
        for (Map.Entry<Integer, List<Context>> cpu : running.entrySet()) {
            int level = 0;
            for (Context o : cpu.getValue()) {
                for (Frame f : o.frames) {
                    close(f, o, cpu.getKey(), level++, steps.size());
                }
            }
        }
        segments.sort(java.util.Comparator.comparingInt(Segment::to).thenComparingInt(Segment::level)
                .thenComparingInt(Segment::cpu));
    }

    /**
     * The events drawn: up to the violation's step and, in that step, up to the last event at one
     * of {@link #violationLines} (the kernel places a violation at the routine's call of the helper
     * it happened in, and a race at either access); of those, the last that names what the message
     * quotes (the call, the field), if one does. What the same step did after that belongs to no
     * violation shown.
     */
    private int end(List<Trace.Event> events) {
        if (violation == null) {
            return events.size();
        }
        // what the message quotes ('IoCompleteRequest', 'KqExtension.BytesSinceTick'): of the events at those lines,
        // the last that names one is the violating one, when one does
        List<String> quoted = new ArrayList<>();
        Matcher q = QUOTED.matcher(violation.message());
        while (q.find()) {
            quoted.add(q.group(1));
        }
        int end = 0;
        int lastAtLine = -1;
        int lastNaming = -1;
        while (end < events.size() && events.get(end).step() <= violation.step()) {
            Trace.Event e = events.get(end);
            if (e.step() == violation.step() && violationLines.contains(e.where())) {
                lastAtLine = end;
                // the call or the access itself, its objects' numbers left out: "reads KqExtension.BytesSinceTick = 0"
                String plain = e.text().replaceAll("#\\d+", "");
                if (quoted.stream().anyMatch(n -> plain.startsWith("calls " + n + "(")
                        || plain.matches("(reads|writes) (static )?" + Pattern.quote(n) + "( = .*)?"))) {
                    lastNaming = end;
                }
            }
            end++;
        }
        return lastNaming >= 0 ? lastNaming + 1 : lastAtLine >= 0 ? lastAtLine + 1 : end;
    }

    /**
     * Context {@code c} runs on {@code cpu} at step {@code i}: the contexts above it there stopped
     * running; if it was not running there, those at its IRQL or above were switched out, and it
     * stops running where it was. {@code entering} is the IRQL of the routine it enters, if any.
     */
    private void arrive(Context c, int cpu, List<Context> on, Map<Integer, List<Context>> running, int i,
            String entering) {
        int at = on.indexOf(c);
        if (at >= 0) {
            while (on.size() > at + 1) {
                leave(on.remove(on.size() - 1), cpu, on, i);
            }
            return;
        }
        if (c.cpu >= 0) {
            List<Context> was = running.get(c.cpu);
            leave(c, c.cpu, was, i);
            was.remove(c);
        }
        String irql = c.frames.isEmpty() ? (entering != null ? entering : "PASSIVE_LEVEL") : c.irql();
        while (!on.isEmpty() && rank(on.get(on.size() - 1).irql()) >= rank(irql)) {
            leave(on.remove(on.size() - 1), cpu, on, i);
        }
        if (!c.frames.isEmpty()) {
            // it runs again here: its routines begin a stretch each, over what runs beneath
            String over = beneath(on);
            for (Frame f : c.frames) {
                f.from = i;
                f.resumed = true;
                f.over = f == c.frames.get(0) ? over : f.over;
            }
            on.add(c);
            c.cpu = cpu;
        }
    }

    /** Context {@code o} stops running on {@code cpu} before step {@code i}: each of its routines ends a stretch there. */
    private void leave(Context o, int cpu, List<Context> on, int i) {
        int level = below(on, o);
        for (Frame f : o.frames) {
            close(f, o, cpu, level++, i);
        }
        o.cpu = -1;
    }

    /**
     * The routines open beneath context {@code c} on a processor: those of the contexts under it
     * there (of all of them, when it is not there).
     */
    private static int below(List<Context> on, Context c) {
        int level = 0;
        for (Context o : on) {
            if (o == c) {
                break;
            }
            level += o.frames.size();
        }
        return level;
    }

    private void close(Frame f, Context c, int cpu, int level, int to) {
        if (f.from >= 0 && to > f.from) {
            segments.add(new Segment(cpu, c.name, f.routine, f.irql, f.from, to, level, f.over, f.resumed));
        }
        f.from = -1;
    }

    /** What the routine a context enters now runs over: its own innermost routine, or the context's beneath it. */
    private static String over(Context c, List<Context> on) {
        if (!c.frames.isEmpty()) {
            return "called by " + c.frames.get(c.frames.size() - 1).routine;
        }
        int at = on.indexOf(c);
        return beneath(at >= 0 ? on.subList(0, at) : on);
    }

    /** What a context that comes on top of {@code on} interrupts: the innermost routine of the top one, or null. */
    private static String beneath(List<Context> on) {
        Context below = on.isEmpty() ? null : on.get(on.size() - 1);
        if (below == null || below.frames.isEmpty()) {
            return null;
        }
        return "interrupting " + below.frames.get(below.frames.size() - 1).routine + " (" + below.name + ")";
    }

    /** IRQLs in order: PASSIVE and APC, then DISPATCH, then a device IRQL by its number. */
    static int rank(String irql) {
        String band = TraceView.band(irql);
        if (band.equals("passive")) {
            return irql != null && irql.startsWith("APC") ? 1 : 0;
        }
        if (band.equals("dispatch")) {
            return 2;
        }
        Matcher n = Pattern.compile("(\\d+)$").matcher(irql);
        return 3 + (n.find() ? Integer.parseInt(n.group(1)) : 0);
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
