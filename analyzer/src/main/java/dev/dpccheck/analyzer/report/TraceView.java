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
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A trace as a person reads it: a timeline in inline SVG with one lane per virtual CPU (and one
 * per device, one for timers, one for threads off every CPU), the CPU's IRQL as a band
 * (PASSIVE_LEVEL blank, DISPATCH_LEVEL hatched one way, DIRQL cross-hatched), the routines as
 * nested blocks (an ISR is drawn under the DPC it interrupted, one level deeper), each {@code Wdm}
 * call and field access as a mark (square, circle for a read, triangle for a write) whose title
 * and detail give the source line and the values, the two accesses of a race joined by a line,
 * and the violation marked. The last {@link #WINDOW} events up to the violation are drawn one
 * column each; what came before is collapsed into one block, and an overview strip shows where
 * the events of the whole trace fell by lane.
 *
 * <p>{@link #fragment} is the view to embed in a page that carries {@link #STYLE} and {@link
 * #SCRIPT} (the audit report does, once); {@link #page} is a page of its own ({@code dpccheck
 * replay --html}). Both depend only on the trace and the driver's sources.
 */
public final class TraceView {
    private TraceView() {
    }

    /** The events drawn one by one, before the violation. */
    static final int WINDOW = 400;
    private static final int DX = 12;
    private static final int LEFT = 24;
    /** The width of the lane names, which stay in view while the timeline scrolls. */
    private static final int NAMES = 150;
    private static final int LANE = 96;
    private static final int TOP = 34;
    private static final int BLOCK = 11;
    private static final int OVERVIEW_BUCKETS = 120;
    private static final Pattern ACCESS = Pattern.compile("^(reads|writes) (\\S+?)(?: = (.*))?$");
    private static final Pattern DEVICE = Pattern.compile("^device (\\S+?):");

    /**
     * A whole HTML page: the view of the trace, with the style and script it needs; the marks'
     * source lines come from the driver's directory {@code driver}.
     */
    public static String page(Trace.Recorded trace, Path driver, String title) {
        HtmlReport.Html h = new HtmlReport.Html();
        h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").text(title)
                .raw("</title>\n<style>\n").raw(HtmlReport.STYLE).raw(STYLE).raw("</style>\n</head>\n<body>\n<h1>")
                .text(title).raw("</h1>\n").raw(fragment(trace, driver, "t")).raw("<script>\n").raw(SCRIPT)
                .raw("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    /**
     * The view of one trace, to embed; {@code id} makes its element ids unique in the page. The
     * sources under {@code driver} (the directory the trace's header names, unless it moved) give
     * the marks' source lines.
     */
    public static String fragment(Trace.Recorded trace, Path driver, String id) {
        TraceModel m = new TraceModel(trace);
        List<TraceModel.Step> all = m.steps;
        int end = all.size();
        int start = Math.max(0, end - WINDOW);
        List<TraceModel.Step> shown = all.subList(start, end);
        // lanes: the CPUs in order, then devices, timers and threads off every CPU
        Map<String, Integer> lanes = new LinkedHashMap<>();
        TreeMap<Integer, String> cpus = new TreeMap<>();
        TreeMap<String, String> others = new TreeMap<>();
        for (TraceModel.Step s : all) {
            String lane = lane(s.event());
            if (s.event().cpu() >= 0) {
                cpus.put(s.event().cpu(), lane);
            } else {
                others.put(lane, lane);
            }
        }
        if (m.violationCpu >= 0) {
            cpus.put(m.violationCpu, "CPU" + m.violationCpu);
        }
        cpus.values().forEach(l -> lanes.put(l, lanes.size()));
        others.values().forEach(l -> lanes.put(l, lanes.size()));
        if (lanes.isEmpty()) {
            lanes.put("CPU0", 0);
        }
        Map<String, List<String>> sources = new HashMap<>();
        Function<Trace.Event, String> source = e -> {
            if (e.where() == null) {
                return null;
            }
            List<String> text = sources.computeIfAbsent(e.file(), f -> SourceLines.of(driver.resolve(f).toString()));
            return e.line() >= 1 && e.line() <= text.size() ? text.get(e.line() - 1).strip() : null;
        };

        int width = LEFT + (shown.size() + 3) * DX + 200;
        int height = TOP + lanes.size() * LANE + 8;
        HtmlReport.Html h = new HtmlReport.Html();
        Violation v = m.violation;
        h.raw("<div class=\"trace-view\" id=\"").attr(id).raw("\">\n<p class=\"trace-about\">").text("Schedule "
                + trace.header().seed() + " (" + trace.header().strategy() + "), " + all.size() + " events"
                + (v == null ? "" : " up to the violation") + "; the last " + shown.size() + " are drawn, one column each"
                + (start > 0 ? ", the first " + start + " are collapsed" : "") + ".").raw("</p>\n");
        if (v != null) {
            h.raw("<p class=\"trace-violation\"><span class=\"badge violation-badge\">violation</span> <strong>")
                    .text(v.rule()).raw("</strong> at <code>").text(v.location()).raw("</code>: ").text(v.message())
                    .raw("</p>\n");
        }
        overview(h, all, lanes, start);
        // the lane names, apart from the timeline so that they stay while it scrolls
        h.raw("<div class=\"trace-body\">\n<svg class=\"lane-names\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .text(String.valueOf(NAMES)).raw("\" height=\"").text(String.valueOf(height)).raw("\" aria-hidden=\"true\">");
        for (Map.Entry<String, Integer> lane : lanes.entrySet()) {
            h.raw("<text x=\"4\" y=\"").text(String.valueOf(TOP + lane.getValue() * LANE + 22)).raw("\">").text(lane.getKey())
                    .raw("</text>");
        }
        h.raw("</svg>\n");
        h.raw("<div class=\"trace-scroll\" tabindex=\"0\" role=\"region\" aria-describedby=\"").attr(id + "-detail")
                .raw("\" aria-label=\"Timeline, one lane per CPU and device. Left and right arrows go from event to event,"
                        + " Home and End to the first and the last\">\n<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\""
                        + " width=\"").text(String.valueOf(width)).raw("\" height=\"").text(String.valueOf(height))
                .raw("\" viewBox=\"0 0 ").text(width + " " + height).raw("\" role=\"group\" aria-label=\"")
                .attr("Timeline of " + shown.size() + " events").raw("\">\n");
        defs(h, id);
        // lanes: names, axis and IRQL bands
        for (Map.Entry<String, Integer> lane : lanes.entrySet()) {
            int y = TOP + lane.getValue() * LANE;
            h.raw("<g class=\"lane\" data-lane=\"").attr(lane.getKey()).raw("\"><title>").text(lane.getKey())
                    .raw("</title>\n<line class=\"lane-rule\" x1=\"0\" x2=\"").text(String.valueOf(width)).raw("\" y1=\"").text(String.valueOf(y + LANE - 2))
                    .raw("\" y2=\"").text(String.valueOf(y + LANE - 2)).raw("\"/>\n</g>\n");
        }
        if (start > 0) {
            h.raw("<g class=\"collapsed\"><rect x=\"2\" y=\"").text(String.valueOf(TOP))
                    .raw("\" width=\"").text(String.valueOf(LEFT - 6)).raw("\" height=\"").text(String.valueOf(lanes.size() * LANE - 4)).raw("\"/><title>")
                    .text(start + " earlier events, steps " + all.get(0).event().step() + " to "
                            + all.get(start - 1).event().step() + ", collapsed").raw("</title></g>\n");
        }
        // a tick every 25 columns: the step and the machine's time there
        for (int k = 0; k < shown.size(); k += 25) {
            Trace.Event e = shown.get(k).event();
            int x = LEFT + k * DX;
            h.raw("<g class=\"tick\"><line x1=\"").text(String.valueOf(x)).raw("\" x2=\"").text(String.valueOf(x))
                    .raw("\" y1=\"").text(String.valueOf(TOP - 4)).raw("\" y2=\"").text(String.valueOf(height - 4))
                    .raw("\"/><text x=\"").text(String.valueOf(x + 2)).raw("\" y=\"").text(String.valueOf(TOP - 6)).raw("\">")
                    .text("step " + e.step() + ", " + e.time() + " us").raw("</text></g>\n");
        }
        irqlBands(h, id, all, start, lanes);
        blocks(h, all, start, lanes);
        // the marks
        Map<Integer, int[]> at = new HashMap<>();
        for (int k = 0; k < shown.size(); k++) {
            TraceModel.Step s = shown.get(k);
            Trace.Event e = s.event();
            int x = LEFT + k * DX + DX / 2;
            int y = TOP + lanes.get(lane(e)) * LANE + LANE - 14;
            at.put(s.order(), new int[] {x, y});
            String kind = kind(e);
            if (kind == null) {
                continue;
            }
            String src = source.apply(e);
            String in = s.in();
            String detail = "step " + e.step() + ", " + e.time() + " us, "
                    + (e.text().startsWith(lane(e)) ? "" : lane(e) + ": ")
                    + (e.actor().equals("-") ? "" : e.actor() + ": ") + e.text()
                    + (in == null ? "" : "; in " + in) + (s.irql() == null ? "" : " at " + s.irql())
                    + (e.where() == null ? "" : " (" + e.where() + (src == null ? "" : ": " + src) + ")");
            h.raw("<g class=\"mark ").raw(kind).raw("\" tabindex=\"-1\" data-order=\"").text(String.valueOf(s.order() + 1))
                    .raw("\" data-detail=\"").attr(detail).raw("\"");
            if (e.where() != null) {
                h.raw(" data-where=\"").attr(e.where()).raw("\"");
            }
            h.raw("><title>").text(detail).raw("</title>");
            shape(h, kind, x, y);
            h.raw("</g>\n");
        }
        boolean raced = race(h, m, start, lanes, at);
        if (v != null) {
            int x = LEFT + shown.size() * DX + DX / 2;
            int lane = lanes.getOrDefault(m.violationCpu < 0 ? lanes.keySet().iterator().next() : "CPU" + m.violationCpu, 0);
            int y = TOP + lane * LANE;
            h.raw("<g class=\"violation\" tabindex=\"-1\" data-detail=\"").attr("violation " + v.rule() + " at "
                    + v.location() + ": " + v.message()).raw("\"><title>").text("violation " + v.rule() + " at "
                    + v.location() + ": " + v.message()).raw("</title><line x1=\"").text(String.valueOf(x)).raw("\" x2=\"")
                    .text(String.valueOf(x)).raw("\" y1=\"").text(String.valueOf(TOP - 6)).raw("\" y2=\"")
                    .text(String.valueOf(height - 4)).raw("\"/><path d=\"M").text(x + " " + (y + LANE - 21)).raw(" l7 7 l-7 7 l-7 -7 z\"/>"
                            + "<text x=\"").text(String.valueOf(x + 6)).raw("\" y=\"").text(String.valueOf(TOP - 10))
                    .raw("\">").text(v.rule()).raw("</text></g>\n");
        }
        h.raw("</svg>\n</div>\n</div>\n<p class=\"trace-detail\" id=\"").attr(id + "-detail")
                .raw("\" aria-live=\"polite\">Select a mark (click it, or focus the"
                + " timeline and press the arrow keys) to see its event, source line and values.</p>\n");
        traceLegend(h, id, raced);
        h.raw("</div>\n");
        return h.toString();
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
        if (e.actor().startsWith("timer") || e.text().startsWith("timer")) {
            return "timers";
        }
        return "off CPU";
    }

    /** The mark of an event: {@code call}, {@code read}, {@code write}, {@code other}; null for a routine's entry or return. */
    private static String kind(Trace.Event e) {
        String t = e.text();
        if (t.startsWith("enters ") || t.matches("^\\S+ returns( .*)?$")) {
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

    private static void shape(HtmlReport.Html h, String kind, int x, int y) {
        switch (kind) {
            case "call" -> h.raw("<rect x=\"").text(String.valueOf(x - 4)).raw("\" y=\"").text(String.valueOf(y - 4))
                    .raw("\" width=\"8\" height=\"8\"/>");
            case "read" -> h.raw("<circle cx=\"").text(String.valueOf(x)).raw("\" cy=\"").text(String.valueOf(y))
                    .raw("\" r=\"4\"/>");
            case "write" -> h.raw("<path d=\"M").text(x + " " + (y - 5)).raw(" l5 9 l-10 0 z\"/>");
            default -> h.raw("<path d=\"M").text((x - 4) + " " + (y - 4)).raw(" l8 8 m0 -8 l-8 8\"/>");
        }
    }

    private static void defs(HtmlReport.Html h, String id) {
        h.raw("<defs>\n<pattern id=\"").attr(id).raw("-dispatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
                + " patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" class=\"irql-dispatch-bg\"/>"
                + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" class=\"hatch\"/></pattern>\n<pattern id=\"").attr(id)
                .raw("-dirql\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"6\""
                        + " class=\"irql-dirql-bg\"/><path d=\"M0 0 L6 6 M6 0 L0 6\" class=\"hatch\"/></pattern>\n"
                        + "</defs>\n");
    }

    /** The band of each CPU lane: the IRQL from each of its events to its next. */
    private static void irqlBands(HtmlReport.Html h, String id, List<TraceModel.Step> all, int start,
            Map<String, Integer> lanes) {
        Map<String, String> current = new TreeMap<>();
        Map<String, Integer> from = new TreeMap<>();
        for (int i = 0; i < start; i++) {
            TraceModel.Step s = all.get(i);
            if (s.event().cpu() >= 0) {
                current.put(lane(s.event()), band(s.irql()));
            }
        }
        current.keySet().forEach(l -> from.put(l, 0));
        int k = 0;
        for (; k < all.size() - start; k++) {
            TraceModel.Step s = all.get(start + k);
            if (s.event().cpu() < 0) {
                continue;
            }
            String lane = lane(s.event());
            String band = band(s.irql());
            if (!band.equals(current.get(lane))) {
                if (current.containsKey(lane)) {
                    bandRect(h, id, lanes.get(lane), from.get(lane), k, current.get(lane));
                }
                current.put(lane, band);
                from.put(lane, k);
            }
        }
        for (Map.Entry<String, String> c : current.entrySet()) {
            bandRect(h, id, lanes.get(c.getKey()), from.get(c.getKey()), k + 1, c.getValue());
        }
    }

    /** PASSIVE_LEVEL and APC_LEVEL are {@code passive}; DISPATCH_LEVEL {@code dispatch}; a device IRQL {@code dirql}. */
    static String band(String irql) {
        if (irql == null || irql.startsWith("PASSIVE") || irql.startsWith("APC")) {
            return "passive";
        }
        return irql.startsWith("DISPATCH") ? "dispatch" : "dirql";
    }

    private static void bandRect(HtmlReport.Html h, String id, int lane, int fromColumn, int toColumn, String band) {
        if (band.equals("passive") || toColumn <= fromColumn) {
            return;
        }
        int x = LEFT + fromColumn * DX;
        h.raw("<rect class=\"irql irql-").raw(band).raw("\" x=\"").text(String.valueOf(x)).raw("\" y=\"")
                .text(String.valueOf(TOP + lane * LANE + 2)).raw("\" width=\"").text(String.valueOf((toColumn - fromColumn) * DX))
                .raw("\" height=\"10\" fill=\"url(#").attr(id + "-" + band).raw(")\"><title>")
                .text(band.equals("dispatch") ? "DISPATCH_LEVEL" : "DIRQL").raw("</title></rect>\n");
    }

    /** The routines as blocks, nested by level; those open when the window starts begin at its left edge. */
    private static void blocks(HtmlReport.Html h, List<TraceModel.Step> all, int start, Map<String, Integer> lanes) {
        Map<String, List<Object[]>> open = new TreeMap<>();
        for (int i = 0; i < all.size(); i++) {
            TraceModel.Step s = all.get(i);
            String lane = lane(s.event());
            int column = Math.max(0, i - start);
            List<Object[]> stack = open.computeIfAbsent(lane, l -> new ArrayList<>());
            if (s.routine() != null) {
                stack.add(new Object[] {s.routine(), column, s.event().actor(), s.irql()});
            } else if (s.returns() && !stack.isEmpty()) {
                Object[] r = stack.remove(stack.size() - 1);
                if (i >= start) {
                    block(h, lanes.get(lane), stack.size(), r, column + 1);
                }
            }
        }
        for (Map.Entry<String, List<Object[]>> lane : open.entrySet()) {
            List<Object[]> stack = lane.getValue();
            for (int level = 0; level < stack.size(); level++) {
                block(h, lanes.get(lane.getKey()), level, stack.get(level), all.size() - start + 1);
            }
        }
    }

    private static void block(HtmlReport.Html h, int lane, int level, Object[] r, int toColumn) {
        int fromColumn = (Integer) r[1];
        int x = LEFT + fromColumn * DX;
        int w = Math.max(DX, (toColumn - fromColumn) * DX);
        int y = TOP + lane * LANE + 14 + level * (BLOCK + 2);
        String name = (String) r[0];
        String band = band((String) r[3]);
        h.raw("<g class=\"routine routine-").raw(band).raw("\" data-level=\"").text(String.valueOf(level)).raw("\"><rect x=\"")
                .text(String.valueOf(x)).raw("\" y=\"").text(String.valueOf(y)).raw("\" width=\"").text(String.valueOf(w))
                .raw("\" height=\"").text(String.valueOf(BLOCK)).raw("\"/><title>").text(name + " (" + r[2] + ", at "
                        + r[3] + ")").raw("</title>");
        if (w >= 6 * DX) {
            h.raw("<text x=\"").text(String.valueOf(x + 3)).raw("\" y=\"").text(String.valueOf(y + BLOCK - 2)).raw("\">")
                    .text(name).raw("</text>");
        }
        h.raw("</g>\n");
    }

    /**
     * The race behind the violation, when the trace shows one: the last access at the violation's
     * line, and the nearest access to the same field or element by another context, one of the two
     * a write: after it (the access that revealed the race), or else before it, wherever it is in
     * the trace (one among the collapsed events is joined at the collapsed block). True when drawn.
     */
    private static boolean race(HtmlReport.Html h, TraceModel m, int start, Map<String, Integer> lanes,
            Map<Integer, int[]> at) {
        Violation v = m.violation;
        if (v == null || v.file() == null) {
            return false;
        }
        List<TraceModel.Step> all = m.steps;
        String where = v.file() + ":" + v.line();
        for (int i = all.size() - 1; i >= 0; i--) {
            Trace.Event a = all.get(i).event();
            Matcher ma = ACCESS.matcher(a.text());
            if (!where.equals(a.where()) || !ma.find()) {
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
            int[] p = point(all.get(lo), lo < start, lanes, at);
            int[] q = point(all.get(hi), hi < start, lanes, at);
            String text = raceText(all.get(lo).event(), all.get(hi).event())
                    + (lo < start ? "; the first is among the collapsed events" : "");
            // an arc above the marks, so that two accesses in one lane are joined visibly too
            int top = Math.min(p[1], q[1]) - 34;
            h.raw("<g class=\"race\" tabindex=\"-1\" data-detail=\"").attr(text).raw("\"><title>").text(text)
                    .raw("</title><path d=\"M").text(p[0] + " " + p[1]).raw(" C")
                    .text(p[0] + " " + top + " " + q[0] + " " + top + " " + q[0] + " " + q[1]).raw("\"/></g>\n");
            return true;
        }
        return false;
    }

    /** Where an event is drawn: its mark, or for one among the collapsed events, the collapsed block in its lane. */
    private static int[] point(TraceModel.Step s, boolean collapsed, Map<String, Integer> lanes, Map<Integer, int[]> at) {
        if (!collapsed) {
            return at.get(s.order());
        }
        return new int[] {LEFT / 2, TOP + lanes.get(lane(s.event())) * LANE + LANE - 14};
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

    /** Where the events of the whole trace fell, by lane: a strip of buckets, the drawn window framed. */
    private static void overview(HtmlReport.Html h, List<TraceModel.Step> all, Map<String, Integer> lanes, int start) {
        if (all.isEmpty()) {
            return;
        }
        int buckets = Math.min(OVERVIEW_BUCKETS, all.size());
        int[][] counts = new int[lanes.size()][buckets];
        int max = 1;
        for (int i = 0; i < all.size(); i++) {
            int b = (int) ((long) i * buckets / all.size());
            int l = lanes.get(lane(all.get(i).event()));
            max = Math.max(max, ++counts[l][b]);
        }
        int cell = 6;
        int rowH = 8;
        int width = 80 + buckets * cell;
        h.raw("<svg class=\"overview\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").text(String.valueOf(width))
                .raw("\" height=\"").text(String.valueOf(lanes.size() * rowH + 4)).raw("\" role=\"img\" aria-label=\"")
                .attr("Overview of all " + all.size() + " events by lane; the framed part is drawn below").raw("\">\n");
        for (Map.Entry<String, Integer> lane : lanes.entrySet()) {
            int y = lane.getValue() * rowH + 2;
            h.raw("<text x=\"0\" y=\"").text(String.valueOf(y + rowH - 1)).raw("\">").text(lane.getKey()).raw("</text>");
            for (int b = 0; b < buckets; b++) {
                int c = counts[lane.getValue()][b];
                if (c > 0) {
                    // darker for more events; greyscale by construction
                    int shade = 220 - (int) (180.0 * c / max);
                    h.raw("<rect x=\"").text(String.valueOf(80 + b * cell)).raw("\" y=\"").text(String.valueOf(y))
                            .raw("\" width=\"").text(String.valueOf(cell)).raw("\" height=\"").text(String.valueOf(rowH - 1))
                            .raw("\" fill=\"rgb(").text(shade + "," + shade + "," + shade).raw(")\"/>");
                }
            }
            h.raw("\n");
        }
        int from = 80 + (int) ((long) start * buckets / all.size()) * cell;
        h.raw("<rect class=\"window\" x=\"").text(String.valueOf(from)).raw("\" y=\"1\" width=\"")
                .text(String.valueOf(Math.max(cell, width - from - 1))).raw("\" height=\"")
                .text(String.valueOf(lanes.size() * rowH + 2)).raw("\"/>\n</svg>\n");
    }

    /** The legend; the race's row only when a race is drawn. Each sample shape has a name for screen readers. */
    private static void traceLegend(HtmlReport.Html h, String id, boolean race) {
        h.raw("<dl class=\"trace-legend\">\n");
        sample(h, "square", "<rect x=\"2\" y=\"2\" width=\"8\" height=\"8\" class=\"legend-call\"/>", "a Wdm call");
        sample(h, "circle", "<circle cx=\"6\" cy=\"6\" r=\"4\" class=\"legend-read\"/>",
                "a read of a field or array element");
        sample(h, "triangle", "<path d=\"M6 1 l5 9 l-10 0 z\" class=\"legend-write\"/>", "a write");
        sample(h, "cross", "<path d=\"M2 2 l8 8 m0 -8 l-8 8\" class=\"legend-other\"/>",
                "another event: a device's, a cancel, a dispatch");
        sample(h, "band hatched one way", "<rect width=\"12\" height=\"12\" fill=\"url(#" + id + "-dispatch)\"/>",
                "DISPATCH_LEVEL (no band: PASSIVE_LEVEL or APC_LEVEL)");
        sample(h, "band cross-hatched", "<rect width=\"12\" height=\"12\" fill=\"url(#" + id + "-dirql)\"/>",
                "a device IRQL (DIRQL)");
        h.raw("<dt>blocks</dt><dd>the routines running, each one a level under the one it interrupted or called; the"
                + " darker, the higher its IRQL</dd>\n");
        if (race) {
            h.raw("<dt>dashed arc</dt><dd>the two accesses of the race</dd>\n");
        }
        sample(h, "red diamond", "<path d=\"M6 0 l6 6 l-6 6 l-6 -6 z\" class=\"legend-violation\"/>",
                "the violation, with a vertical rule");
        h.raw("<dt>left block</dt><dd>the earlier events, collapsed (the overview above shows them)</dd>\n</dl>\n");
    }

    private static void sample(HtmlReport.Html h, String name, String shape, String meaning) {
        h.raw("<dt><svg width=\"12\" height=\"12\" role=\"img\" aria-label=\"").attr(name).raw("\">").raw(shape)
                .raw("</svg></dt><dd>").text(meaning).raw("</dd>\n");
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
            @media print {
              .trace-scroll { overflow: visible; }
              .trace-body svg.lane-names { display: none; }
              svg.timeline { width: 100%; height: auto; }
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
            svg.timeline .cursor { fill: none; stroke: #000; stroke-width: 2; stroke-dasharray: 3 2; }
            svg.timeline .race.selected path { stroke-width: 4.5; }
            svg.timeline .violation.selected line { stroke-width: 4; }
            svg.timeline .race path { fill: none; stroke: #c00; stroke-width: 2.5; stroke-dasharray: 6 3; }
            svg.timeline .violation line { stroke: #c00; stroke-width: 2; }
            svg.timeline .violation path { fill: #c00; stroke: #000; }
            svg.timeline .violation text { font-weight: 700; fill: #c00; }
            svg.timeline .collapsed rect { fill: #eee; stroke: #000; stroke-dasharray: 2 2; }
            svg.overview text { font: 8px ui-monospace, monospace; }
            svg.overview .window { fill: none; stroke: #000; stroke-width: 1.5; }
            .trace-detail { font-family: ui-monospace, monospace; font-size: .85rem; background: #f7f7f7;
              border: 1px solid var(--line); padding: .25rem .5rem; min-height: 1.5rem; }
            .trace-legend { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .75rem; font-size: .85rem; }
            .trace-legend dd { margin: 0; }
            .legend-call { fill: #fff; stroke: #000; } .legend-read { fill: #fff; stroke: #000; }
            .legend-write { fill: #000; } .legend-other { fill: none; stroke: #555; stroke-width: 2; }
            """;

    /**
     * Clicking a mark, or moving between marks with the arrow keys while the timeline has the focus,
     * shows its event, source line and values in the detail line below.
     */
    public static final String SCRIPT = """
            (function () {
              document.querySelectorAll('.trace-view').forEach(function (view) {
                var marks = Array.prototype.slice.call(view.querySelectorAll('.mark, .race, .violation'));
                var detail = view.querySelector('.trace-detail');
                var scroll = view.querySelector('.trace-scroll');
                var current = -1;
                // the view opens at its end, where the violation is
                scroll.scrollLeft = scroll.scrollWidth;
                var svg = view.querySelector('svg.timeline');
                var cursor = document.createElementNS(svg.namespaceURI, 'rect');
                cursor.setAttribute('class', 'cursor');
                cursor.setAttribute('visibility', 'hidden');
                svg.appendChild(cursor);
                function select(i) {
                  if (i < 0 || i >= marks.length) { return; }
                  if (current >= 0) { marks[current].classList.remove('selected'); }
                  current = i;
                  marks[i].classList.add('selected');
                  detail.textContent = marks[i].getAttribute('data-detail');
                  var box = marks[i].getBBox ? marks[i].getBBox() : null;
                  if (box) {
                    // a dashed frame around what is selected: seen in greyscale, and for the race and violation too
                    cursor.setAttribute('x', box.x - 4); cursor.setAttribute('y', box.y - 4);
                    cursor.setAttribute('width', box.width + 8); cursor.setAttribute('height', box.height + 8);
                    cursor.setAttribute('visibility', 'visible');
                    scroll.scrollLeft = Math.max(0, box.x - scroll.clientWidth / 2);
                  }
                }
                marks.forEach(function (m, i) { m.addEventListener('click', function () { select(i); }); });
                scroll.addEventListener('keydown', function (e) {
                  if (e.key === 'ArrowRight') { select(current < 0 ? marks.length - 1 : current + 1); e.preventDefault(); }
                  else if (e.key === 'ArrowLeft') { select(current < 0 ? marks.length - 1 : current - 1); e.preventDefault(); }
                  else if (e.key === 'End') { select(marks.length - 1); e.preventDefault(); }
                  else if (e.key === 'Home') { select(0); e.preventDefault(); }
                });
              });
            })();
            """;
}
