package dev.dpccheck.analyzer.report;

import dev.dpccheck.kernel.Trace;
import dev.dpccheck.kernel.Violation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A trace as a person reads it: a timeline in inline SVG with one lane per virtual CPU (and one
 * per device, one for timers, one for threads off every CPU), the CPU's IRQL as a band
 * (PASSIVE_LEVEL blank, DISPATCH_LEVEL hatched one way, DIRQL cross-hatched), the routines as
 * stacked blocks (an ISR is drawn over the DPC it interrupted, a routine over the one that called
 * it), each {@code Wdm} call and field access as a mark (square, circle for a read, triangle for a
 * write) whose title and detail give the source line and the values, the two accesses of a race
 * joined by a line, and the violation marked. The last {@link #WINDOW} events up to the violation
 * (or as many as the caller asks, or all) are drawn one column each; what came before is collapsed
 * into one block that says which routines ran there, and an overview strip shows where the events
 * of the whole trace fell by lane, each of its columns selectable for what ran in it.
 *
 * <p>{@link #fragment} is the view to embed in a page that carries {@link #STYLE} and {@link
 * #SCRIPT} (the audit report does, once); {@link #page} is a page of its own ({@code dpccheck
 * replay --html}). Both depend only on the trace and the driver's sources.
 */
public final class TraceView {
    private TraceView() {
    }

    /** The events drawn one by one before the violation, unless the caller asks for another number. */
    public static final int WINDOW = 400;
    private static final int DX = 12;
    private static final int LEFT = 24;
    /** The width of the lane names, which stay in view while the timeline scrolls. */
    private static final int NAMES = 150;
    private static final int LANE = 96;
    private static final int TOP = 34;
    private static final int BLOCK = 11;
    /** From a lane's top: the IRQL band's height, and where the outermost routine's block begins. */
    private static final int BAND = 12;
    private static final int BASE = LANE - 34;
    private static final int OVERVIEW_BUCKETS = 120;
    private static final Pattern ACCESS = Pattern.compile("^(reads|writes) ((?:static )?\\S+?)(?: = (.*))?$");
    private static final Pattern DEVICE = Pattern.compile("^device (\\S+?):");
    /** A timer's expiry, as the kernel records it: {@code IoTimer of x#0: expires at 1000 us}. */
    private static final Pattern TIMER = Pattern.compile(": expires at \\d+ us$");
    /** An object a message names as traces label it: {@code Irp#251}. */
    private static final Pattern OBJECT = Pattern.compile("\\b[A-Z]\\w*#\\d+");
    /** A driver line a message names: {@code dir/File.java:113}. */
    private static final Pattern CITED = Pattern.compile("([\\w./-]+\\.java:\\d+)");

    /** {@link #page(Trace.Recorded, Path, String, int)} with the last {@link #WINDOW} events drawn. */
    public static String page(Trace.Recorded trace, Path driver, String title) {
        return page(trace, driver, title, WINDOW);
    }

    /**
     * A whole HTML page: the view of the trace, with the style and script it needs; the marks'
     * source lines come from the driver's directory {@code driver}. {@code window} events up to the
     * violation are drawn one by one, the rest collapsed; 0 draws them all.
     */
    public static String page(Trace.Recorded trace, Path driver, String title, int window) {
        HtmlReport.Html h = new HtmlReport.Html();
        h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>").text(title)
                .raw("</title>\n<style>\n").raw(HtmlReport.STYLE).raw(STYLE).raw("</style>\n</head>\n<body>\n<main>\n<h1>")
                .text(title).raw("</h1>\n").raw(fragment(trace, driver, "t", window)).raw("</main>\n<script>\n")
                .raw(SCRIPT).raw("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    /**
     * The view of one trace, to embed, with the last {@link #WINDOW} events drawn; {@code id} makes
     * its element ids unique in the page. The sources under {@code driver} (the directory the
     * trace's header names, unless it moved) give the marks' source lines.
     */
    public static String fragment(Trace.Recorded trace, Path driver, String id) {
        return fragment(trace, driver, id, WINDOW);
    }

    /** The view of one trace with {@code window} events drawn (0: all of them). */
    public static String fragment(Trace.Recorded trace, Path driver, String id, int window) {
        if (window < 0) {
            throw new IllegalArgumentException("window " + window);
        }
        return new Drawing(new TraceModel(trace), driver, id, window).draw();
    }

    /** The lane of an event: its CPU, or the device, the timers, or the threads off every CPU. */
    static String lane(Trace.Event e) {
        if (e.cpu() >= 0) {
            return "CPU" + e.cpu();
        }
        Matcher d = DEVICE.matcher(e.text());
        if (d.find()) {
            return "device " + d.group(1);
        }
        if (TIMER.matcher(e.text()).find() || e.actor().startsWith("timer") || e.text().startsWith("timer")) {
            return "timers";
        }
        return "off CPU";
    }

    /** PASSIVE_LEVEL and APC_LEVEL are {@code passive}; DISPATCH_LEVEL {@code dispatch}; a device IRQL {@code dirql}. */
    static String band(String irql) {
        if (irql == null || irql.startsWith("PASSIVE") || irql.startsWith("APC")) {
            return "passive";
        }
        return irql.startsWith("DISPATCH") ? "dispatch" : "dirql";
    }

    /** The mark of an event: {@code call}, {@code read}, {@code write}, {@code other}; null for a routine's entry or return. */
    private static String kind(Trace.Event e) {
        String t = e.text();
        if (t.startsWith("enters ") || TraceModel.RETURNS.matcher(t).matches()) {
            return null;
        }
        if (t.startsWith("calls ")) {
            return "call";
        }
        Matcher a = ACCESS.matcher(t);
        if (a.find()) {
            return a.group(1).equals("reads") ? "read" : "write";
        }
        return "other";
    }

    private static boolean conflicts(Matcher ma, Trace.Event a, Trace.Event b) {
        Matcher mb = ACCESS.matcher(b.text());
        return mb.find() && mb.group(2).equals(ma.group(2)) && !b.actor().equals(a.actor())
                && (ma.group(1).equals("writes") || mb.group(1).equals("writes"));
    }

    private static String raceText(Trace.Event first, Trace.Event second) {
        return "The race: " + first.actor() + " " + first.text() + " (" + first.where() + "), then " + second.actor()
                + " " + second.text() + " (" + second.where() + "), nothing ordering them";
    }

    /**
     * A routine drawn as a block: its name, context and IRQL, the columns it spans in the window
     * (from the left edge when it was open before), how many routines it runs over, and what its
     * title adds: what the nearest of those says of it ("interrupting X", "called by X"), and
     * whether it runs again there after a switch.
     */
    private record Block(int lane, int level, String name, String actor, String irql, int from, int to, String over) {
    }

    /** One view being drawn: the model, what part of it is drawn, and where each lane and event goes. */
    private static final class Drawing {
        final HtmlReport.Html h = new HtmlReport.Html();
        final TraceModel m;
        final Path driver;
        final String id;
        final List<TraceModel.Step> all;
        /** Each event's lane, by its place in {@link #all}. */
        final String[] laneOf;
        /** The first event drawn; those before it are collapsed. */
        final int start;
        final List<TraceModel.Step> shown;
        /** The lanes in order: the CPUs, then devices, timers and threads off every CPU. */
        final Map<String, Integer> lanes = new LinkedHashMap<>();
        final int width;
        final int height;
        /** Where each drawn event's mark is, by its place in {@link #all}. */
        final Map<Integer, int[]> at = new HashMap<>();
        final Map<String, List<String>> sources = new HashMap<>();

        Drawing(TraceModel m, Path driver, String id, int window) {
            this.m = m;
            this.driver = driver;
            this.id = id;
            this.all = m.steps;
            this.laneOf = new String[all.size()];
            this.start = window == 0 ? 0 : Math.max(0, all.size() - window);
            this.shown = all.subList(start, all.size());
            TreeMap<Integer, String> cpus = new TreeMap<>();
            TreeMap<String, String> others = new TreeMap<>();
            for (int i = 0; i < all.size(); i++) {
                Trace.Event e = all.get(i).event();
                laneOf[i] = lane(e);
                if (e.cpu() >= 0) {
                    cpus.put(e.cpu(), laneOf[i]);
                } else {
                    others.put(laneOf[i], laneOf[i]);
                }
            }
            // every virtual CPU of the machine, idle or not
            for (int cpu = 0; cpu < m.trace.header().config().cpus(); cpu++) {
                cpus.put(cpu, "CPU" + cpu);
            }
            if (m.violationCpu >= 0) {
                cpus.put(m.violationCpu, "CPU" + m.violationCpu);
            }
            cpus.values().forEach(l -> lanes.put(l, lanes.size()));
            others.values().forEach(l -> lanes.put(l, lanes.size()));
            if (lanes.isEmpty()) {
                lanes.put("CPU0", 0);
            }
            this.width = LEFT + (shown.size() + 3) * DX + 200;
            this.height = TOP + lanes.size() * LANE + 8;
        }

        /** The top of a lane. */
        int top(String lane) {
            return TOP + lanes.get(lane) * LANE;
        }

        /** The source line of an event, from the driver's directory, or null. */
        String source(Trace.Event e) {
            if (e.where() == null) {
                return null;
            }
            List<String> text = sources.computeIfAbsent(e.file(), f -> SourceLines.of(driver.resolve(f).toString()));
            return e.line() >= 1 && e.line() <= text.size() ? text.get(e.line() - 1).strip() : null;
        }

        String draw() {
            Violation v = m.violation;
            h.raw("<div class=\"trace-view\" id=\"").attr(id).raw("\">\n<p class=\"trace-about\">").text("Schedule "
                    + m.trace.header().seed() + " (" + m.trace.header().strategy() + "), " + all.size() + " events"
                    + (v == null ? "" : " up to the violation") + "; "
                    + (shown.size() == all.size() ? (all.size() == 1 ? "it is" : "all are") : shown.size() == 1
                            ? "the last is" : "the last " + shown.size() + " are") + " drawn, one column each" + (start > 0 ? ", the first " + start + " are collapsed" : "") + ".")
                    .raw("</p>\n");
            if (v != null) {
                h.raw("<p class=\"trace-violation\"><span class=\"badge violation-badge\">violation</span> <strong>")
                        .text(v.rule()).raw("</strong> at <code>").text(v.location()).raw("</code>: ").text(v.message())
                        .raw("</p>\n");
            }
            overview();
            // the lane names, apart from the timeline so that they stay while it scrolls
            h.raw("<div class=\"trace-body\">\n<svg class=\"lane-names\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                    .text(String.valueOf(NAMES)).raw("\" height=\"").text(String.valueOf(height))
                    .raw("\" aria-hidden=\"true\">");
            for (String lane : lanes.keySet()) {
                h.raw("<text x=\"4\" y=\"").text(String.valueOf(top(lane) + LANE / 2 + 4)).raw("\">").text(lane).raw("</text>");
            }
            h.raw("</svg>\n");
            h.raw("<div class=\"trace-scroll\" tabindex=\"0\" role=\"region\" aria-describedby=\"").attr(id + "-detail")
                    .raw("\" aria-label=\"").attr("Timeline of " + shown.size() + " events"
                            + (v == null ? "" : " up to " + v.rule() + " at " + v.location())
                            + ", one lane per CPU and device. Left and right arrows go from event to event, Home to the"
                            + " race or the first event, End to the last")
                    .raw("\">\n<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                    .text(String.valueOf(width)).raw("\" height=\"").text(String.valueOf(height)).raw("\" viewBox=\"0 0 ")
                    .text(width + " " + height).raw("\" aria-hidden=\"true\">\n");
            defs();
            for (String lane : lanes.keySet()) {
                int y = top(lane) + LANE - 2;
                h.raw("<g class=\"lane\" data-lane=\"").attr(lane).raw("\"><title>").text(lane)
                        .raw("</title>\n<line class=\"lane-rule\" x1=\"0\" x2=\"").text(String.valueOf(width))
                        .raw("\" y1=\"").text(String.valueOf(y)).raw("\" y2=\"").text(String.valueOf(y)).raw("\"/>\n</g>\n");
            }
            if (start > 0) {
                collapsed();
            }
            // a tick every 25 columns: the step and the machine's time there
            for (int k = 0; k < shown.size(); k += 25) {
                Trace.Event e = shown.get(k).event();
                int x = LEFT + k * DX;
                h.raw("<g class=\"tick\"><line x1=\"").text(String.valueOf(x)).raw("\" x2=\"").text(String.valueOf(x))
                        .raw("\" y1=\"").text(String.valueOf(TOP - 4)).raw("\" y2=\"").text(String.valueOf(height - 4))
                        .raw("\"/><text x=\"").text(String.valueOf(x + 2)).raw("\" y=\"").text(String.valueOf(TOP - 6))
                        .raw("\">").text("step " + e.step() + ", " + e.time() + " us").raw("</text></g>\n");
            }
            irqlBands();
            blocks();
            marks();
            boolean raced = race();
            boolean cited = !raced && cited();
            if (v != null) {
                violation(v);
            }
            h.raw("</svg>\n</div>\n</div>\n<p class=\"trace-print-note\">Printed: the end of the timeline, up to the"
                    + " violation.</p>\n<p class=\"trace-detail\" id=\"").attr(id + "-detail")
                    .raw("\" aria-live=\"polite\">Select a mark (click it, or focus the timeline and press the arrow"
                            + " keys) to see its event, source line and values; select a column of the overview to see"
                            + " what ran there.</p>\n");
            legend(raced, cited);
            h.raw("</div>\n");
            return h.toString();
        }

        /** What the collapsed events hold: the routines entered there, by lane, and how many events each lane had. */
        private void collapsed() {
            String text = start + " earlier events, steps " + all.get(0).event().step() + " to "
                    + all.get(start - 1).event().step() + ", collapsed. " + ran(0, start)
                    + " The overview's columns show them part by part; 'dpccheck replay --html --window 0' draws them all.";
            h.raw("<g class=\"collapsed\" data-detail=\"").attr(text).raw("\"><rect x=\"2\" y=\"")
                    .text(String.valueOf(TOP)).raw("\" width=\"").text(String.valueOf(LEFT - 6)).raw("\" height=\"")
                    .text(String.valueOf(lanes.size() * LANE - 4)).raw("\"/><title>").text(text).raw("</title></g>\n");
        }

        /**
         * What ran among the events {@code [from, to)}, lane by lane: how many events, and the routines
         * entered there with how many times (the routine already running, if none was entered).
         */
        private String ran(int from, int to) {
            Map<String, Integer> events = new TreeMap<>(java.util.Comparator.comparing(lanes::get));
            Map<String, Map<String, Integer>> entered = new TreeMap<>(java.util.Comparator.comparing(lanes::get));
            for (int i = from; i < to; i++) {
                TraceModel.Step s = all.get(i);
                events.merge(laneOf[i], 1, Integer::sum);
                Map<String, Integer> names = entered.computeIfAbsent(laneOf[i], l -> new LinkedHashMap<>());
                if (s.routine() != null) {
                    names.merge(s.routine(), 1, Integer::sum);
                } else if (names.isEmpty() && s.in() != null) {
                    names.put(s.in(), 0);
                }
            }
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, Integer> lane : events.entrySet()) {
                sb.append(sb.length() == 0 ? "" : "; ").append(lane.getKey()).append(": ").append(lane.getValue())
                        .append(lane.getValue() == 1 ? " event" : " events");
                List<String> names = new ArrayList<>();
                for (Map.Entry<String, Integer> r : entered.get(lane.getKey()).entrySet()) {
                    names.add(r.getValue() == 0 ? "in " + r.getKey()
                            : r.getKey() + (r.getValue() > 1 ? " \u00d7" + r.getValue() : ""));
                }
                if (!names.isEmpty()) {
                    int max = 6;
                    sb.append(" (").append(String.join(", ", names.subList(0, Math.min(max, names.size()))))
                            .append(names.size() > max ? ", " + (names.size() - max) + " more" : "").append(')');
                }
            }
            return sb.append('.').toString();
        }

        private void marks() {
            for (int k = 0; k < shown.size(); k++) {
                TraceModel.Step s = shown.get(k);
                Trace.Event e = s.event();
                String lane = laneOf[start + k];
                int x = LEFT + k * DX + DX / 2;
                int y = top(lane) + LANE - 14;
                at.put(start + k, new int[] {x, y});
                String kind = kind(e);
                if (kind == null) {
                    continue;
                }
                String src = source(e);
                String in = s.in();
                String detail = "step " + e.step() + ", " + e.time() + " us, "
                        + (e.text().startsWith(lane) ? "" : lane + ": ")
                        + (e.actor().equals("-") ? "" : e.actor() + ": ") + e.text()
                        + (in == null ? "" : "; in " + in) + (s.irql() == null ? "" : " at " + s.irql())
                        + (e.where() == null ? "" : " (" + e.where() + (src == null ? "" : ": " + src) + ")");
                h.raw("<g class=\"mark ").raw(kind).raw("\" data-order=\"")
                        .text(String.valueOf(s.order() + 1)).raw("\" data-detail=\"").attr(detail).raw("\"");
                if (e.where() != null) {
                    h.raw(" data-where=\"").attr(e.where()).raw("\"");
                }
                h.raw("><title>").text(detail).raw("</title>");
                shape(kind, x, y);
                h.raw("</g>\n");
            }
        }

        private void shape(String kind, int x, int y) {
            switch (kind) {
                case "call" -> h.raw("<rect x=\"").text(String.valueOf(x - 4)).raw("\" y=\"").text(String.valueOf(y - 4))
                        .raw("\" width=\"8\" height=\"8\"/>");
                case "read" -> h.raw("<circle cx=\"").text(String.valueOf(x)).raw("\" cy=\"").text(String.valueOf(y))
                        .raw("\" r=\"4\"/>");
                case "write" -> h.raw("<path d=\"M").text(x + " " + (y - 5)).raw(" l5 9 l-10 0 z\"/>");
                default -> h.raw("<path d=\"M").text((x - 4) + " " + (y - 4)).raw(" l8 8 m0 -8 l-8 8\"/>");
            }
        }

        /** The lane the violation is drawn in: its processor's, or the first. */
        private String violationLane() {
            return m.violationCpu < 0 ? lanes.keySet().iterator().next() : "CPU" + m.violationCpu;
        }

        private void violation(Violation v) {
            int x = LEFT + (shown.size() + 1) * DX + DX / 2;
            int y = top(violationLane());
            String text = "violation " + v.rule() + " at " + v.location() + ": " + v.message();
            h.raw("<g class=\"violation\" data-detail=\"").attr(text).raw("\"><title>").text(text)
                    .raw("</title><line x1=\"").text(String.valueOf(x)).raw("\" x2=\"").text(String.valueOf(x))
                    .raw("\" y1=\"").text(String.valueOf(TOP - 6)).raw("\" y2=\"").text(String.valueOf(height - 4))
                    .raw("\"/><path d=\"M").text(x + " " + (y + LANE - 21)).raw(" l7 7 l-7 7 l-7 -7 z\"/><text x=\"")
                    .text(String.valueOf(x + 6)).raw("\" y=\"").text(String.valueOf(TOP - 20)).raw("\">").text(v.rule())
                    .raw("</text></g>\n");
        }

        private void defs() {
            h.raw("<defs>\n<pattern id=\"").attr(id).raw("-dispatch\" width=\"6\" height=\"6\""
                    + " patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\""
                    + " class=\"irql-dispatch-bg\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" class=\"hatch\"/></pattern>\n"
                    + "<pattern id=\"").attr(id).raw("-dirql\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
                            + "<rect width=\"6\" height=\"6\" class=\"irql-dirql-bg\"/><path d=\"M0 0 L6 6 M6 0 L0 6\""
                            + " class=\"hatch\"/></pattern>\n</defs>\n");
        }

        /** The band of each CPU lane: the IRQL from each of its events to its next. */
        private void irqlBands() {
            Map<String, String> current = new TreeMap<>();
            Map<String, Integer> from = new TreeMap<>();
            for (int i = 0; i < start; i++) {
                if (all.get(i).event().cpu() >= 0) {
                    current.put(laneOf[i], band(all.get(i).irql()));
                }
            }
            current.keySet().forEach(l -> from.put(l, 0));
            int k = 0;
            for (; k < shown.size(); k++) {
                TraceModel.Step s = shown.get(k);
                if (s.event().cpu() < 0) {
                    continue;
                }
                String lane = laneOf[start + k];
                String band = band(s.irql());
                if (!band.equals(current.get(lane))) {
                    if (current.containsKey(lane)) {
                        bandRect(lane, from.get(lane), k, current.get(lane));
                    }
                    current.put(lane, band);
                    from.put(lane, k);
                }
            }
            for (Map.Entry<String, String> c : current.entrySet()) {
                bandRect(c.getKey(), from.get(c.getKey()), k + 1, c.getValue());
            }
        }

        private void bandRect(String lane, int fromColumn, int toColumn, String band) {
            if (band.equals("passive") || toColumn <= fromColumn) {
                return;
            }
            h.raw("<rect class=\"irql irql-").raw(band).raw("\" x=\"").text(String.valueOf(LEFT + fromColumn * DX))
                    .raw("\" y=\"").text(String.valueOf(top(lane) + 2)).raw("\" width=\"")
                    .text(String.valueOf((toColumn - fromColumn) * DX)).raw("\" height=\"").text(String.valueOf(BAND - 2))
                    .raw("\" fill=\"url(#").attr(id + "-" + band).raw(")\"><title>")
                    .text(band.equals("dispatch") ? "DISPATCH_LEVEL" : "DIRQL").raw("</title></rect>\n");
        }

        /**
         * The routines as blocks, each stretch a routine ran on one processor (from its model's
         * segments), each over the one it interrupted or that called it; those open when the window
         * starts begin at its left edge. A lane whose routines nest deeper than four draws its
         * blocks thinner, so that they stay between the band and the marks.
         */
        private void blocks() {
            List<TraceModel.Segment> drawn = new ArrayList<>();
            int[] deepest = new int[lanes.size()];
            for (TraceModel.Segment g : m.segments) {
                if (g.to() > start) {
                    drawn.add(g);
                    int lane = lanes.get("CPU" + g.cpu());
                    deepest[lane] = Math.max(deepest[lane], g.level());
                }
            }
            // the outer routines first, so that each block is drawn over the one it interrupted
            drawn.sort(java.util.Comparator.comparingInt(TraceModel.Segment::level)
                    .thenComparingInt(TraceModel.Segment::cpu).thenComparingInt(TraceModel.Segment::from));
            for (TraceModel.Segment g : drawn) {
                int lane = lanes.get("CPU" + g.cpu());
                int room = BASE - BAND - 2;
                int step = Math.min(BLOCK + 2, deepest[lane] == 0 ? BLOCK + 2 : room / deepest[lane]);
                block(new Block(lane, g.level(), g.routine(), g.context(), g.irql(), Math.max(0, g.from() - start),
                        g.to() - start, (g.over() == null ? "" : ", " + g.over()) + (g.resumed() ? ", running again" : "")),
                        step);
            }
        }

        private void block(Block b, int step) {
            int x = LEFT + b.from() * DX;
            int w = Math.max(DX, (b.to() - b.from()) * DX);
            int tall = Math.max(3, Math.min(BLOCK, step - 2));
            int y = TOP + b.lane() * LANE + BASE - b.level() * step;
            h.raw("<g class=\"routine routine-").raw(band(b.irql())).raw("\" data-level=\"").text(String.valueOf(b.level()))
                    .raw("\"><rect x=\"").text(String.valueOf(x)).raw("\" y=\"").text(String.valueOf(y))
                    .raw("\" width=\"").text(String.valueOf(w)).raw("\" height=\"").text(String.valueOf(tall))
                    .raw("\"/><title>").text(b.name() + " in " + b.actor() + " at " + b.irql() + b.over())
                    .raw("</title>");
            // the name as far as it fits (9px monospace: about 5.5px a character)
            int fits = (w - 6) * 2 / 11;
            if (fits >= 4 && tall >= 9) {
                String name = b.name().length() <= fits ? b.name() : b.name().substring(0, fits - 1) + "\u2026";
                h.raw("<text x=\"").text(String.valueOf(x + 3)).raw("\" y=\"").text(String.valueOf(y + tall - 2)).raw("\">")
                        .text(name).raw("</text>");
            }
            h.raw("</g>\n");
        }

        /**
         * The race behind the violation, when the trace shows one: the last access at the violation's
         * line (or its callee's), and the nearest access to the same field or element by another context, one of the two
         * a write: after it (the access that revealed the race), or else before it, wherever it is in
         * the trace (one among the collapsed events is joined at the collapsed block). True when drawn.
         */
        private boolean race() {
            if (m.violation == null || !m.violation.rule().equals("DataRace")) {
                // another rule's accesses (an ISR's write, a DPC's outside SynchCritSection) may well be ordered
                return false;
            }
            for (int i = all.size() - 1; i >= 0; i--) {
                Trace.Event a = all.get(i).event();
                Matcher ma = ACCESS.matcher(a.text());
                if (!m.violationLines.contains(a.where()) || !ma.find()) {
                    continue;
                }
                int other = -1;
                for (int j = i + 1; j < all.size() && other < 0; j++) {
                    other = conflicts(ma, a, all.get(j).event()) ? j : -1;
                }
                for (int j = i - 1; j >= 0 && other < 0; j--) {
                    other = conflicts(ma, a, all.get(j).event()) ? j : -1;
                }
                if (other < 0) {
                    return false;
                }
                int lo = Math.min(i, other);
                int hi = Math.max(i, other);
                int[] p = point(lo);
                int[] q = point(hi);
                String text = raceText(all.get(lo).event(), all.get(hi).event())
                        + (lo < start ? "; the first is among the collapsed events" : "");
                arc("race", text, p, q);
                return true;
            }
            return false;
        }

        /**
         * For a violation with no line of its own (a stall, an IRP never completed) whose message
         * names a driver line ({@code dir/File.java:113}): the last event at that line, joined to the
         * violation by a dotted arc, wherever it is (one among the collapsed events at the collapsed
         * block). True when drawn.
         */
        private boolean cited() {
            Violation v = m.violation;
            if (v == null || v.file() != null) {
                return false;
            }
            Matcher named = CITED.matcher(v.message());
            List<String> lines = new ArrayList<>();
            while (named.find()) {
                lines.add(named.group(1));
            }
            // the object the message names (the IRP never completed), if any: the event at the line that touched it;
            // else the last event at the line
            Matcher object = OBJECT.matcher(v.message());
            String label = object.find() ? object.group() : null;
            Pattern touched = label == null ? null : Pattern.compile("\\b" + Pattern.quote(label) + "(?!\\d)");
            int found = -1;
            boolean forObject = false;
            for (int i = all.size() - 1; i >= 0 && !forObject; i--) {
                String where = all.get(i).event().where();
                if (where == null || lines.stream().noneMatch(l -> l.equals(where) || l.endsWith("/" + where))) {
                    continue;
                }
                forObject = touched != null && touched.matcher(all.get(i).event().text()).find();
                if (found < 0 || forObject) {
                    found = i;
                }
            }
            if (found < 0) {
                return false;
            }
            Trace.Event e = all.get(found).event();
            String text = "The line the violation names, " + e.where() + (forObject ? ", for " + label + "," : "")
                    + " last ran at step " + e.step() + ": " + (e.actor().equals("-") ? "" : e.actor() + " ") + e.text()
                    + (found < start ? "; among the collapsed events" : "");
            int[] p = point(found);
            int[] q = {LEFT + (shown.size() + 1) * DX + DX / 2, top(violationLane()) + LANE - 14};
            arc("cited", text, p, q);
            return true;
        }

        /**
         * An arc above the marks from {@code p} to {@code q}, so that two points in one lane are
         * joined visibly too; over a white halo, so that it shows over the blocks it crosses.
         */
        private void arc(String kind, String text, int[] p, int[] q) {
            int top = Math.min(p[1], q[1]) - 40;
            String d = "M" + p[0] + " " + p[1] + " C" + p[0] + " " + top + " " + q[0] + " " + top + " " + q[0] + " " + q[1];
            h.raw("<g class=\"").raw(kind).raw("\" data-detail=\"").attr(text).raw("\"><title>").text(text)
                    .raw("</title><path class=\"halo\" d=\"").text(d).raw("\"/><path d=\"").text(d).raw("\"/></g>\n");
        }

        /** Where an event is drawn: its mark, or for one among the collapsed events, the collapsed block in its lane. */
        private int[] point(int i) {
            return i >= start ? at.get(i) : new int[] {LEFT / 2, top(laneOf[i]) + LANE - 14};
        }

        /**
         * Where the events of the whole trace fell, by lane: a strip of columns, the drawn window
         * framed. Each column can be selected (clicked, or reached with the arrow keys) for what ran
         * in it; one in the drawn part also brings the timeline there.
         */
        private void overview() {
            if (all.isEmpty()) {
                return;
            }
            int buckets = Math.min(OVERVIEW_BUCKETS, all.size());
            int[][] counts = new int[lanes.size()][buckets];
            int max = 1;
            for (int i = 0; i < all.size(); i++) {
                int b = (int) ((long) i * buckets / all.size());
                max = Math.max(max, ++counts[lanes.get(laneOf[i])][b]);
            }
            int cell = 6;
            int rowH = 8;
            int names = 80;
            int width = names + buckets * cell;
            int tall = lanes.size() * rowH + 4;
            h.raw("<svg class=\"overview\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").text(String.valueOf(width))
                    .raw("\" height=\"").text(String.valueOf(tall)).raw("\" viewBox=\"0 0 ").text(width + " " + tall)
                    .raw("\" tabindex=\"0\" role=\"group\" aria-describedby=\"")
                    .attr(id + "-detail").raw("\" aria-label=\"").attr("Overview of all " + all.size() + " events by lane, in "
                            + buckets + " columns; the framed part is drawn below. Left and right arrows go from column"
                            + " to column").raw("\">\n<g aria-hidden=\"true\">\n");
            for (Map.Entry<String, Integer> lane : lanes.entrySet()) {
                int y = lane.getValue() * rowH + 2;
                h.raw("<text x=\"0\" y=\"").text(String.valueOf(y + rowH - 1)).raw("\">").text(lane.getKey()).raw("</text>");
                for (int b = 0; b < buckets; b++) {
                    int c = counts[lane.getValue()][b];
                    if (c > 0) {
                        // darker for more events; greyscale by construction
                        int shade = 220 - (int) (180.0 * c / max);
                        h.raw("<rect x=\"").text(String.valueOf(names + b * cell)).raw("\" y=\"").text(String.valueOf(y))
                                .raw("\" width=\"").text(String.valueOf(cell)).raw("\" height=\"")
                                .text(String.valueOf(rowH - 1)).raw("\" fill=\"rgb(").text(shade + "," + shade + "," + shade)
                                .raw(")\"/>");
                    }
                }
                h.raw("\n");
            }
            int from = names + (int) ((long) start * buckets / all.size()) * cell;
            h.raw("<rect class=\"window\" x=\"").text(String.valueOf(from)).raw("\" y=\"1\" width=\"")
                    .text(String.valueOf(Math.max(cell, width - from - 1))).raw("\" height=\"")
                    .text(String.valueOf(lanes.size() * rowH + 2)).raw("\"/>\n");
            // the columns to select, over the rest
            for (int b = 0; b < buckets; b++) {
                int lo = (int) (((long) b * all.size() + buckets - 1) / buckets);
                int hi = (int) (((long) (b + 1) * all.size() + buckets - 1) / buckets);
                if (lo >= hi) {
                    continue;
                }
                Trace.Event first = all.get(lo).event();
                Trace.Event last = all.get(hi - 1).event();
                String text = "Events " + (lo + 1) + " to " + hi + " of " + all.size() + " (steps " + first.step() + " to "
                        + last.step() + ", " + first.time() + " to " + last.time() + " us"
                        + (hi <= start ? ", collapsed" : lo >= start ? ", drawn" : ", partly drawn") + "): "
                        + ran(lo, hi);
                h.raw("<g class=\"bucket\" data-detail=\"").attr(text).raw("\"");
                if (hi > start) {
                    h.raw(" data-x=\"").text(String.valueOf(LEFT + (Math.max(lo, start) - start) * DX)).raw("\"");
                }
                h.raw("><title>").text(text).raw("</title><rect x=\"").text(String.valueOf(names + b * cell))
                        .raw("\" y=\"0\" width=\"").text(String.valueOf(cell)).raw("\" height=\"").text(String.valueOf(tall))
                        .raw("\"/></g>\n");
            }
            h.raw("</g>\n</svg>\n");
        }

        /** The legend; the race's row only when a race is drawn. Each sample shape has a name for screen readers. */
        private void legend(boolean race, boolean cited) {
            h.raw("<dl class=\"trace-legend\">\n");
            sample("square", "<rect x=\"2\" y=\"2\" width=\"8\" height=\"8\" class=\"legend-call\"/>", "a Wdm call");
            sample("circle", "<circle cx=\"6\" cy=\"6\" r=\"4\" class=\"legend-read\"/>",
                    "a read of a field or array element");
            sample("triangle", "<path d=\"M6 1 l5 9 l-10 0 z\" class=\"legend-write\"/>", "a write");
            sample("cross", "<path d=\"M2 2 l8 8 m0 -8 l-8 8\" class=\"legend-other\"/>",
                    "another event: a device's, a cancel, a dispatch");
            sample("band hatched one way", "<rect width=\"12\" height=\"12\" fill=\"url(#" + id + "-dispatch)\"/>",
                    "DISPATCH_LEVEL (no band: PASSIVE_LEVEL or APC_LEVEL)");
            sample("band cross-hatched", "<rect width=\"12\" height=\"12\" fill=\"url(#" + id + "-dirql)\"/>",
                    "a device IRQL (DIRQL)");
            h.raw("<dt>blocks</dt><dd>the routines running, each drawn over the one it interrupted (an ISR over the DPC"
                    + " or thread it preempted) or that called it; the darker, the higher its IRQL</dd>\n");
            if (race) {
                h.raw("<dt>dashed arc</dt><dd>the two accesses of the race</dd>\n");
            }
            if (cited) {
                h.raw("<dt>dotted arc</dt><dd>from the violation to the last event at the driver line its message"
                        + " names</dd>\n");
            }
            sample("red diamond", "<path d=\"M6 0 l6 6 l-6 6 l-6 -6 z\" class=\"legend-violation\"/>",
                    "the violation, with a vertical rule, where the kernel saw it (a race: at its second access)");
            if (start > 0) {
                h.raw("<dt>left block</dt><dd>the earlier events, collapsed: select it for the routines that ran there,"
                        + " or a column of the overview above for one part of them</dd>\n");
            }
            h.raw("</dl>\n");
        }

        private void sample(String name, String shape, String meaning) {
            h.raw("<dt><svg width=\"12\" height=\"12\" role=\"img\" aria-label=\"").attr(name).raw("\">").raw(shape)
                    .raw("</svg></dt><dd>").text(meaning).raw("</dd>\n");
        }
    }

    /** The style of the view, after {@link HtmlReport#STYLE}. */
    public static final String STYLE = """
            .trace-view { margin: .5rem 0; }
            .trace-body { display: flex; border: 1px solid var(--line); background: #fff; }
            .trace-body svg.lane-names { flex: none; border-right: 1px solid var(--line); }
            svg.lane-names text { font: 700 11px ui-monospace, monospace; }
            .trace-scroll { overflow-x: auto; flex: 1; }
            .violation-badge { background: #fff; color: #000; border-color: #c00; border-width: 3px; }
            .violation-badge::before { content: "\\25C6 "; color: #c00; }
            .legend-violation { fill: #c00; stroke: #000; }
            .trace-print-note { display: none; }
            @media print {
              /* the end of the timeline, up to the violation, at its own size: the rest is cut at the left */
              .trace-scroll { overflow: hidden; display: flex; justify-content: flex-end; }
              svg.timeline { flex: none; }
              .trace-print-note { display: block; font-size: .8rem; }
              svg.overview { max-width: 100%; height: auto; }
              .trace-detail:not(.chosen) { display: none; }
            }
            .trace-scroll:focus { outline: 3px solid #000; }
            svg.timeline text { font: 11px ui-monospace, monospace; fill: #000; }
            svg.timeline .lane-rule { stroke: #bbb; stroke-width: 1; }
            svg.timeline .tick line { stroke: #ddd; stroke-width: 1; }
            svg.timeline .tick text { font-size: 9px; fill: #555; }
            svg.timeline .irql-dispatch-bg { fill: #e8e8e8; }
            svg.timeline .irql-dirql-bg { fill: #c8c8c8; }
            svg.timeline .hatch { stroke: #444; stroke-width: 1; }
            svg.timeline .routine rect { stroke: #000; stroke-width: 1; fill: #f4f4f4; }
            svg.timeline .routine-dispatch rect { fill: #dcdcdc; }
            svg.timeline .routine-dirql rect { fill: #a9a9a9; }
            svg.timeline .routine text { font-size: 9px; }
            svg.timeline .mark { cursor: pointer; }
            svg.timeline .mark.call rect { fill: #fff; stroke: #000; }
            svg.timeline .mark.read circle { fill: #fff; stroke: #000; stroke-width: 1.5; }
            svg.timeline .mark.write path { fill: #000; }
            svg.timeline .mark.other path { fill: none; stroke: #555; stroke-width: 2; }
            svg.timeline .cursor, svg.overview .cursor { pointer-events: none; fill: none; stroke: #000; stroke-width: 2; stroke-dasharray: 3 2; }
            svg.timeline .race.selected path:not(.halo) { stroke-width: 4.5; }
            svg.timeline .violation.selected line { stroke-width: 4; }
            svg.timeline .race path { fill: none; stroke: #c00; stroke-width: 2.5; stroke-dasharray: 6 3; }
            svg.timeline g path.halo { stroke: #fff; stroke-width: 6; stroke-dasharray: none; opacity: .85; }
            svg.timeline .cited path { fill: none; stroke: #c00; stroke-width: 2.5; stroke-dasharray: 1 3; }
            svg.timeline .cited.selected path:not(.halo) { stroke-width: 4.5; }
            svg.timeline .violation line { stroke: #c00; stroke-width: 2; }
            svg.timeline .violation path { fill: #c00; stroke: #000; }
            svg.timeline .violation text { font-weight: 700; fill: #c00; }
            svg.timeline .collapsed rect { fill: #eee; stroke: #000; stroke-dasharray: 2 2; }
            svg.overview text { font: 8px ui-monospace, monospace; }
            svg.overview .window { fill: none; stroke: #000; stroke-width: 1.5; }
            svg.overview .bucket { cursor: pointer; } svg.overview .bucket rect { fill: transparent; }
            svg.overview .bucket:hover rect { fill: rgba(0,0,0,.12); }
            svg.overview .cursor { stroke-width: 1.5; stroke-dasharray: 2 1; }
            svg.overview:focus { outline: 3px solid #000; }
            svg.timeline .collapsed { cursor: pointer; }
            svg.timeline .collapsed.selected rect { stroke-width: 2; }
            .trace-detail { font-family: ui-monospace, monospace; font-size: .85rem; background: #f7f7f7;
              border: 1px solid var(--line); padding: .25rem .5rem; min-height: 1.5rem; }
            .trace-legend { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .75rem; font-size: .85rem; }
            .trace-legend dd { margin: 0; }
            .legend-call { fill: #fff; stroke: #000; } .legend-read { fill: #fff; stroke: #000; }
            .legend-write { fill: #000; } .legend-other { fill: none; stroke: #555; stroke-width: 2; }
            """;

    /**
     * Clicking a mark, or moving between marks with the arrow keys while the timeline has the focus,
     * shows its event, source line and values in the detail line below; the collapsed block says
     * which routines ran there. Clicking a column of the overview, or moving between its columns
     * with the arrow keys, shows what ran in that part of the trace, and brings the timeline there
     * when it is drawn.
     */
    public static final String SCRIPT = """
            (function () {
              document.querySelectorAll('.trace-view').forEach(function (view) {
                var detail = view.querySelector('.trace-detail');
                var scroll = view.querySelector('.trace-scroll');
                var svg = view.querySelector('svg.timeline');
                // the view opens at its end, where the violation is
                scroll.scrollLeft = scroll.scrollWidth;
                function cursorIn(parent) {
                  var c = document.createElementNS(parent.namespaceURI, 'rect');
                  c.setAttribute('class', 'cursor');
                  c.setAttribute('visibility', 'hidden');
                  parent.appendChild(c);
                  return c;
                }
                // a list of selectable things, each with a data-detail, stepped through by keys on their container
                function navigator(items, keys, cursor, onSelect) {
                  var current = -1;
                  function select(i) {
                    if (i < 0 || i >= items.length) { return; }
                    if (current >= 0) { items[current].classList.remove('selected'); }
                    current = i;
                    items[i].classList.add('selected');
                    detail.textContent = items[i].getAttribute('data-detail');
                    detail.classList.add('chosen');
                    var box = items[i].getBBox ? items[i].getBBox() : null;
                    if (box) {
                      // a dashed frame around what is selected: seen in greyscale, and for the race and violation too
                      cursor.setAttribute('x', box.x - 2); cursor.setAttribute('y', box.y - 2);
                      cursor.setAttribute('width', box.width + 4); cursor.setAttribute('height', box.height + 4);
                      cursor.setAttribute('visibility', 'visible');
                    }
                    onSelect(items[i], box);
                  }
                  items.forEach(function (m, i) { m.addEventListener('click', function () { select(i); }); });
                  keys.addEventListener('keydown', function (e) {
                    if (e.key === 'ArrowRight') { select(current < 0 ? items.length - 1 : current + 1); e.preventDefault(); }
                    else if (e.key === 'ArrowLeft') { select(current < 0 ? items.length - 1 : current - 1); e.preventDefault(); }
                    else if (e.key === 'End') { select(items.length - 1); e.preventDefault(); }
                    else if (e.key === 'Home') { select(0); e.preventDefault(); }
                  });
                }
                // the race first (Home), then the events in their order, the violation last (End)
                var items = Array.prototype.slice.call(svg.querySelectorAll('.race, .cited'))
                  .concat(Array.prototype.slice.call(svg.querySelectorAll('.collapsed, .mark, .violation')));
                navigator(items, scroll,
                  cursorIn(svg), function (item, box) {
                    if (box) { scroll.scrollLeft = Math.max(0, box.x - scroll.clientWidth / 2); }
                  });
                var overview = view.querySelector('svg.overview');
                if (overview) {
                  navigator(Array.prototype.slice.call(overview.querySelectorAll('.bucket')), overview, cursorIn(overview),
                    function (item) {
                      var x = item.getAttribute('data-x');
                      if (x !== null) { scroll.scrollLeft = Math.max(0, Number(x) - scroll.clientWidth / 2); }
                    });
                }
              });
            })();
            """;
}
