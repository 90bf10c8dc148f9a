package dev.dpccheck.analyzer.report;

import dev.dpccheck.analyzer.Analyzer;
import dev.dpccheck.analyzer.findings.Finding;
import dev.dpccheck.analyzer.findings.Location;
import dev.dpccheck.analyzer.findings.Notification;
import dev.dpccheck.analyzer.findings.Validation;
import dev.dpccheck.analyzer.spi.Rule;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The HTML report ({@code audit --format html}): one self-contained file (its style and script
 * inline, no network, no fonts) that a person reads in a browser or prints. Findings are grouped
 * by rule and then by file, each with its source excerpt, the finding's line and its witness
 * path's lines highlighted and numbered, and its validation status as a badge; suppressed findings
 * and those a baseline holds come after, apart; then the notifications. A form filters the
 * findings by rule and status; {@code j} and {@code k} move between the findings shown. Badges
 * and highlights differ in text, border and glyph as well as colour, so that they survive
 * greyscale and print. A finding the simulated kernel showed (confirmed, or found by simulation)
 * embeds the view of its trace ({@link TraceView}), folded.
 *
 * <p>The output depends only on its input: sorted, no clock, no absolute path that the findings
 * do not already hold.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    /** Lines of context around each highlighted line of an excerpt. */
    static final int CONTEXT = 2;

    /**
     * The report.
     *
     * @param result the findings (suppressed ones are shown apart) and notifications
     * @param baselined the findings a baseline hid, shown apart; empty without a baseline
     * @param rules the rules that ran, for their titles and summaries
     * @param version dpccheck's version
     */
    public static String write(Analyzer.Result result, List<Finding> baselined, List<Rule> rules, String version) {
        Map<String, RuleInfo> infos = new TreeMap<>();
        for (Rule r : rules) {
            infos.put(r.info().id(), r.info());
        }
        List<Finding> shown = new ArrayList<>();
        List<Finding> suppressed = new ArrayList<>();
        for (Finding f : result.findings()) {
            (f.suppressed() ? suppressed : shown).add(f);
        }
        Html h = new Html();
        h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .raw("<meta name=\"generator\" content=\"dpccheck ").attr(version).raw("\">\n")
                .raw("<title>dpccheck report</title>\n<style>\n").raw(STYLE).raw(TraceView.STYLE).raw("</style>\n</head>\n<body>\n");
        h.raw("<header>\n<h1>dpccheck report</h1>\n<p class=\"summary\">").text(summary(result, shown, suppressed,
                baselined)).raw("</p>\n");
        String validation = validationSummary(shown);
        if (!validation.isEmpty()) {
            h.raw("<p class=\"summary\">").text(validation).raw("</p>\n");
        }
        h.raw("</header>\n");
        filters(h, shown, infos);
        legend(h);
        h.raw("<main>\n");
        Map<String, Integer> ids = new HashMap<>();
        Map<String, List<String>> sources = new HashMap<>();
        Function<String, List<String>> lines = file -> sources.computeIfAbsent(file, SourceLines::of);
        if (shown.isEmpty()) {
            h.raw("<p class=\"empty\">No findings.</p>\n");
        }
        for (Map.Entry<String, Map<String, List<Finding>>> rule : group(shown).entrySet()) {
            RuleInfo info = infos.get(rule.getKey());
            h.raw("<section class=\"rule\" id=\"rule-").attr(rule.getKey()).raw("\" data-rule=\"").attr(rule.getKey())
                    .raw("\">\n<h2><span class=\"rule-id\">").text(rule.getKey()).raw("</span>");
            // a rule only the simulated kernel checks has its monitor's title, and what the monitor watches
            var monitor = info != null ? java.util.Optional.<dev.dpccheck.kernel.verifier.Monitor>empty()
                    : dev.dpccheck.kernel.verifier.Catalog.find(rule.getKey());
            String title = info != null ? info.title() : monitor.map(m -> m.title()).orElse(null);
            if (title != null) {
                h.raw(" <span class=\"rule-title\">").text(title).raw("</span>");
            }
            h.raw("</h2>\n");
            if (info != null) {
                h.raw("<p class=\"rule-summary\">").text(info.summary()).raw("</p>\n");
            } else {
                monitor.ifPresent(m -> h.raw("<p class=\"rule-summary\">")
                        .text("Checked by the simulated kernel only, which watches " + m.observes() + ".").raw("</p>\n"));
            }
            for (Map.Entry<String, List<Finding>> file : rule.getValue().entrySet()) {
                h.raw("<section class=\"file\">\n<h3 class=\"file-name\">").text(file.getKey()).raw("</h3>\n");
                for (Finding f : file.getValue()) {
                    finding(h, f, "f", ids, lines);
                }
                h.raw("</section>\n");
            }
            h.raw("</section>\n");
        }
        apart(h, "suppressed", "Suppressed findings",
                "Findings that a @SuppressWarnings(\"dpccheck:RuleId\") on their method or class silenced. They do"
                        + " not count toward --fail-on.", suppressed, ids, lines);
        apart(h, "baseline", "Findings in the baseline",
                "Findings the --baseline SARIF log holds: accepted before, not reported as new.", baselined, ids, lines);
        h.raw("<section id=\"notifications\">\n<h2>Notifications</h2>\n");
        if (result.notifications().isEmpty()) {
            h.raw("<p class=\"empty\">None.</p>\n");
        } else {
            h.raw("<ul>\n");
            for (Notification n : result.notifications()) {
                h.raw("<li>").text(n.toString()).raw("</li>\n");
            }
            h.raw("</ul>\n");
        }
        h.raw("</section>\n</main>\n<footer><p>dpccheck ").text(version).raw("</p></footer>\n<script>\n").raw(SCRIPT).raw(TraceView.SCRIPT)
                .raw("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    /** The findings by rule id, then by file, each in the result's order. */
    private static Map<String, Map<String, List<Finding>>> group(List<Finding> findings) {
        Map<String, Map<String, List<Finding>>> byRule = new TreeMap<>();
        for (Finding f : findings) {
            byRule.computeIfAbsent(f.ruleId(), r -> new TreeMap<>())
                    .computeIfAbsent(f.location().file(), x -> new ArrayList<>()).add(f);
        }
        return byRule;
    }

    private static String summary(Analyzer.Result result, List<Finding> shown, List<Finding> suppressed,
            List<Finding> baselined) {
        Map<String, Integer> bySeverity = new TreeMap<>();
        for (Finding f : shown) {
            bySeverity.merge(f.severity().level(), 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(shown.size()).append(shown.size() == 1 ? " finding" : " findings");
        if (!bySeverity.isEmpty()) {
            StringBuilder parts = new StringBuilder();
            bySeverity.forEach((level, n) -> parts.append(parts.length() == 0 ? "" : ", ").append(n).append(' ')
                    .append(level).append(n == 1 ? "" : "s"));
            sb.append(" (").append(parts).append(')');
        }
        sb.append(" in ").append(result.filesAnalyzed()).append(result.filesAnalyzed() == 1 ? " file" : " files")
                .append(" analyzed");
        if (!suppressed.isEmpty()) {
            sb.append("; ").append(suppressed.size()).append(" suppressed");
        }
        if (!baselined.isEmpty()) {
            sb.append("; ").append(baselined.size()).append(" in the baseline");
        }
        int n = result.notifications().size();
        if (n > 0) {
            sb.append("; ").append(n).append(n == 1 ? " notification" : " notifications");
        }
        return sb.toString();
    }

    private static String validationSummary(List<Finding> findings) {
        Map<String, Integer> byStatus = new TreeMap<>();
        for (Finding f : findings) {
            if (f.validation() != null) {
                byStatus.merge(f.validation().status().label(), 1, Integer::sum);
            }
        }
        if (byStatus.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("Validation:");
        byStatus.forEach((status, n) -> sb.append(' ').append(n).append(' ').append(status).append(','));
        return sb.substring(0, sb.length() - 1);
    }

    /** The status a filter sees: the validation's label, or {@code static} for a finding not validated. */
    static String status(Finding f) {
        return f.validation() == null ? "static" : f.validation().status().label();
    }

    private static void filters(Html h, List<Finding> shown, Map<String, RuleInfo> infos) {
        TreeSet<String> rules = new TreeSet<>();
        TreeSet<String> statuses = new TreeSet<>();
        for (Finding f : shown) {
            rules.add(f.ruleId());
            statuses.add(status(f));
        }
        h.raw("<nav class=\"filters\" aria-label=\"Filter the findings\">\n<form id=\"filters\">\n")
                .raw("<label for=\"filter-rule\">Rule</label>\n<select id=\"filter-rule\" name=\"rule\">\n")
                .raw("<option value=\"\">all rules (").text(String.valueOf(rules.size())).raw(")</option>\n");
        for (String r : rules) {
            h.raw("<option value=\"").attr(r).raw("\">").text(r).raw("</option>\n");
        }
        h.raw("</select>\n<label for=\"filter-status\">Status</label>\n<select id=\"filter-status\" name=\"status\">\n")
                .raw("<option value=\"\">every status</option>\n");
        for (String s : statuses) {
            h.raw("<option value=\"").attr(s).raw("\">").text(s.equals("static") ? "static (run without --validate)" : s)
                    .raw("</option>\n");
        }
        h.raw("</select>\n<output id=\"filter-count\" aria-live=\"polite\">").text(shown.size() + " of " + shown.size()
                + " findings shown").raw("</output>\n</form>\n</nav>\n");
    }

    private static void legend(Html h) {
        h.raw("<aside class=\"legend\" aria-label=\"Legend\">\n<h2>Legend</h2>\n<dl>\n");
        for (Validation.Status s : Validation.Status.values()) {
            h.raw("<dt><span class=\"badge status-").attr(s.label()).raw("\">").text(s.label()).raw("</span></dt><dd>")
                    .text(STATUS_MEANING.get(s)).raw("</dd>\n");
        }
        h.raw("<dt><span class=\"badge status-static\">static</span></dt><dd>Not run in the simulated kernel (no"
                + " --validate).</dd>\n")
                .raw("<dt><span class=\"src-line at\"><span class=\"glyph\">&#9654;</span></span></dt>"
                        + "<dd>The finding's line.</dd>\n")
                .raw("<dt><span class=\"src-line step\"><span class=\"glyph\">1</span></span></dt>"
                        + "<dd>A line of the witness path, numbered in its order.</dd>\n")
                .raw("<dt class=\"keys\"><kbd>j</kbd> <kbd>k</kbd></dt><dd class=\"keys\">Next and previous finding"
                        + " shown.</dd>\n")
                .raw("</dl>\n</aside>\n");
    }

    private static final Map<Validation.Status, String> STATUS_MEANING = Map.of(
            Validation.Status.CONFIRMED, "The simulated kernel showed the violation at this line; the trace replays it.",
            Validation.Status.FOUND_BY_SIMULATION, "A violation the kernel showed that no static finding predicted.",
            Validation.Status.NOT_REPRODUCED, "The line ran, but the budget was spent without the violation.",
            Validation.Status.NOT_EXERCISED, "The line never ran under the workload.",
            Validation.Status.NOT_VALIDATED, "The driver could not be run in the simulated kernel.");

    private static void apart(Html h, String id, String title, String meaning, List<Finding> findings,
            Map<String, Integer> ids, Function<String, List<String>> lines) {
        h.raw("<section id=\"").attr(id).raw("\" class=\"apart\">\n<h2>").text(title).raw(" (")
                .text(String.valueOf(findings.size())).raw(")</h2>\n<p>").text(meaning).raw("</p>\n");
        if (!findings.isEmpty()) {
            h.raw("<details>\n<summary>Show them</summary>\n");
            for (Finding f : findings) {
                finding(h, f, id, ids, lines);
            }
            h.raw("</details>\n");
        }
        h.raw("</section>\n");
    }

    private static void finding(Html h, Finding f, String prefix, Map<String, Integer> ids,
            Function<String, List<String>> lines) {
        Location at = f.location();
        String id = prefix + "-" + ids.merge(prefix, 1, Integer::sum);
        String status = status(f);
        h.raw("<article class=\"finding\" id=\"").attr(id).raw("\" tabindex=\"0\" aria-labelledby=\"").attr(id + "-h")
                .raw("\" data-rule=\"").attr(f.ruleId())
                .raw("\" data-status=\"").attr(status).raw("\" data-file=\"").attr(at.file()).raw("\" data-line=\"")
                .text(String.valueOf(at.line())).raw("\">\n<h4 id=\"").attr(id + "-h").raw("\"><span class=\"severity severity-")
                .attr(f.severity().level()).raw("\">").text(f.severity().level()).raw("</span> <a class=\"where\" href=\"#")
                .attr(id).raw("\">").text(at.file() + ":" + at.line() + ":" + at.column()).raw("</a> <span class=\"rule-ref\">[")
                .text(f.ruleId()).raw("]</span></h4>\n<p class=\"message\">").text(f.message()).raw("</p>\n");
        h.raw("<p class=\"status\"><span class=\"badge status-").attr(status).raw("\">").text(status).raw("</span>");
        if (f.validation() != null) {
            h.raw(" <span class=\"status-text\">").text(f.validation().describe()).raw("</span>");
        }
        h.raw("</p>\n");
        if (f.validation() != null && f.validation().replayCommand() != null) {
            h.raw("<p class=\"replay\">Replay: <code>").text(f.validation().replayCommand()).raw("</code></p>\n");
        }
        if (!f.witness().isEmpty()) {
            h.raw("<ol class=\"witness\">\n");
            int n = 0;
            for (Finding.Step s : f.witness()) {
                n++;
                h.raw("<li data-step=\"").text(String.valueOf(n)).raw("\"><span class=\"where\">")
                        .text(s.location().file() + ":" + s.location().line()).raw("</span> ").text(s.message())
                        .raw("</li>\n");
            }
            h.raw("</ol>\n");
        }
        excerpts(h, f, id, lines);
        String view = traceView(f, id + "-trace");
        if (view != null) {
            h.raw("<details class=\"trace\">\n<summary>The schedule that showed it</summary>\n").raw(view)
                    .raw("</details>\n");
        }
        h.raw("</article>\n");
    }

    /** The view of the trace of a finding the kernel showed, or null (none, or it cannot be read). */
    private static String traceView(Finding f, String id) {
        Validation v = f.validation();
        if (v == null || v.trace() == null || (v.status() != Validation.Status.CONFIRMED
                && v.status() != Validation.Status.FOUND_BY_SIMULATION)) {
            return null;
        }
        try {
            dev.dpccheck.kernel.Trace.Recorded t = dev.dpccheck.kernel.Trace.read(java.nio.file.Path.of(v.trace()));
            return TraceView.fragment(t, java.nio.file.Path.of(t.header().driver()), id);
        } catch (java.io.IOException | dev.dpccheck.kernel.Trace.BadTraceException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The source excerpts of a finding: per file (the finding's first, then its witness's), the
     * highlighted lines with {@link #CONTEXT} lines around each, runs that meet merged, a gap
     * marked between the others.
     */
    private static void excerpts(Html h, Finding f, String id, Function<String, List<String>> lines) {
        // by file: by line, the witness steps at it (the finding's line is step 0)
        Map<String, TreeMap<Integer, List<Integer>>> marks = new LinkedHashMap<>();
        marks.computeIfAbsent(f.location().file(), x -> new TreeMap<>())
                .computeIfAbsent(f.location().line(), x -> new ArrayList<>()).add(0);
        int n = 0;
        for (Finding.Step s : f.witness()) {
            n++;
            marks.computeIfAbsent(s.location().file(), x -> new TreeMap<>())
                    .computeIfAbsent(s.location().line(), x -> new ArrayList<>()).add(n);
        }
        for (Map.Entry<String, TreeMap<Integer, List<Integer>>> file : marks.entrySet()) {
            List<String> text = lines.apply(file.getKey());
            if (text.isEmpty()) {
                continue;
            }
            h.raw("<figure class=\"excerpt\">\n<figcaption>").text(file.getKey()).raw("</figcaption>\n<pre tabindex=\"0\""
                    + " role=\"region\" aria-label=\"").attr("Source excerpt of " + file.getKey() + ", for "
                    + f.ruleId() + " at " + f.location().file() + ":" + f.location().line() + " (" + id + ")")
                    .raw("\"><code>");
            int shownTo = 0;
            TreeMap<Integer, List<Integer>> at = file.getValue();
            for (int line : at.keySet()) {
                int from = Math.max(Math.max(1, line - CONTEXT), shownTo + 1);
                int to = Math.min(text.size(), line + CONTEXT);
                if (shownTo > 0 && from > shownTo + 1) {
                    h.raw("<span class=\"src-gap\" aria-hidden=\"true\">&#8942;</span>");
                }
                for (int l = from; l <= to; l++) {
                    List<Integer> steps = at.get(l);
                    sourceLine(h, l, text.get(l - 1), steps);
                }
                shownTo = Math.max(shownTo, to);
            }
            h.raw("</code></pre>\n</figure>\n");
        }
    }

    private static void sourceLine(Html h, int line, String code, List<Integer> steps) {
        boolean finding = steps != null && steps.contains(0);
        List<Integer> witness = new ArrayList<>();
        if (steps != null) {
            for (int s : steps) {
                if (s > 0) {
                    witness.add(s);
                }
            }
        }
        h.raw("<span class=\"src-line").raw(finding ? " at" : "").raw(witness.isEmpty() ? "" : " step")
                .raw("\" data-line=\"").text(String.valueOf(line)).raw("\"");
        if (!witness.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (int s : witness) {
                sb.append(sb.length() == 0 ? "" : " ").append(s);
            }
            h.raw(" data-steps=\"").text(sb.toString()).raw("\"");
        }
        h.raw("><span class=\"ln\">").text(String.valueOf(line)).raw("</span><span class=\"glyph\" aria-hidden=\"true\">");
        if (finding) {
            h.raw("&#9654;");
        }
        if (!witness.isEmpty()) {
            h.text(String.valueOf(witness.get(0)));
        }
        // what the glyphs mean, in words, for a screen reader: every step at the line, not only the first drawn
        StringBuilder said = new StringBuilder(finding ? " the finding's line" : "");
        for (int s : witness) {
            said.append(said.length() == 0 ? " step " : ", step ").append(s);
        }
        if (said.length() > 0) {
            h.raw("<span class=\"sr-only\">").text(said.append(": ").toString()).raw("</span>");
        }
        // each line is a block of its own: no newline between them, which the pre would show as a blank line
        h.raw("</span>").text(code.replace("\t", "    ")).raw("</span>");
    }

    /** A string builder that escapes what it is given as text or as an attribute value. */
    static final class Html {
        private final StringBuilder sb = new StringBuilder(1 << 16);

        Html raw(String s) {
            sb.append(s);
            return this;
        }

        Html text(String s) {
            escape(s, false);
            return this;
        }

        Html attr(String s) {
            escape(s, true);
            return this;
        }

        private void escape(String s, boolean attribute) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '&' -> sb.append("&amp;");
                    case '<' -> sb.append("&lt;");
                    case '>' -> sb.append("&gt;");
                    case '"' -> sb.append(attribute ? "&quot;" : "\"");
                    case '\'' -> sb.append(attribute ? "&#39;" : "'");
                    default -> {
                        // no control characters: they are not allowed in HTML text
                        if (c < 0x20 && c != '\n' && c != '\t') {
                            sb.append('\uFFFD');
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }

    /** The style: light, readable in greyscale (badges differ by border and text), and printable. */
    static final String STYLE = """
            :root { --fg: #1b1b1b; --muted: #555; --line: #ddd; --at: #ffe08a; --step: #dbe9ff; }
            * { box-sizing: border-box; }
            body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); margin: 0 auto;
              max-width: 72rem; padding: 0 1rem 2rem; }
            h1 { font-size: 1.6rem; margin: 1rem 0 .25rem; }
            h2 { font-size: 1.25rem; margin: 1.5rem 0 .25rem; border-bottom: 2px solid var(--fg); }
            h3 { font-size: 1rem; margin: 1rem 0 .25rem; font-family: ui-monospace, monospace; }
            h4 { font-size: .95rem; margin: 0; font-weight: 600; }
            .summary { margin: .1rem 0; color: var(--muted); }
            nav.filters { position: sticky; top: 0; background: #fff; z-index: 1; }
            .filters form { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .5rem 0;
              border-bottom: 1px solid var(--line); }
            .legend dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .25rem 0; }
            .legend dd { margin: 0; }
            .rule-title { font-weight: normal; }
            .rule-summary { margin: .25rem 0 .5rem; }
            .finding { border: 1px solid var(--line); border-left: 4px solid var(--fg); padding: .5rem .75rem;
              margin: .5rem 0; }
            .finding:focus { outline: 3px solid #000; outline-offset: 2px; }
            .finding { scroll-margin-top: 4rem; }
            .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
              white-space: nowrap; }
            .excerpt pre:focus { outline: 2px solid #000; }
            .src-line .sr-only { user-select: none; }
            .finding[hidden] { display: none; }
            .message { margin: .25rem 0; }
            .severity { font-weight: 700; text-transform: uppercase; font-size: .75rem; letter-spacing: .05em;
              padding: 0 .3rem; border: 1px solid var(--fg); }
            .severity-error { background: #000; color: #fff; }
            .severity-warning { border-style: double; border-width: 3px; }
            .severity-note { border-style: dotted; }
            .rule-ref { color: var(--muted); font-weight: normal; }
            .badge { display: inline-block; font-size: .8rem; font-weight: 600; padding: 0 .4rem;
              border: 2px solid var(--fg); border-radius: .6rem; }
            .status-confirmed { background: #b00020; color: #fff; border-style: solid; }
            .status-confirmed::before { content: "\\2713 "; }
            .status-found-by-simulation { background: #6a1b9a; color: #fff; border-style: double; border-width: 4px; }
            .status-found-by-simulation::before { content: "\\2605 "; }
            .status-not-reproduced { background: #fff3cd; border-style: dashed; }
            .status-not-exercised { background: #eee; border-style: dotted; }
            .status-not-validated { background: #fff; border-style: dotted; border-width: 1px; }
            .status-static { background: #fff; border-width: 1px; }
            .status-text { color: var(--muted); }
            .replay code { background: #f4f4f4; padding: 0 .25rem; }
            ol.witness { margin: .25rem 0; padding-left: 1.75rem; font-size: .9rem; }
            ol.witness .where { font-family: ui-monospace, monospace; color: var(--muted); }
            .excerpt { margin: .5rem 0 0; }
            .excerpt figcaption { font-family: ui-monospace, monospace; font-size: .8rem; color: var(--muted); }
            .excerpt pre { margin: 0; background: #fafafa; border: 1px solid var(--line); overflow-x: auto;
              font-size: .85rem; line-height: 1.35; }
            .src-line { display: block; padding-right: .5rem; white-space: pre; }
            .src-line .ln { display: inline-block; width: 4.5ch; text-align: right; color: var(--muted);
              padding-right: .5ch; user-select: none; }
            .src-line .glyph { display: inline-block; width: 4ch; text-align: center; font-weight: 700;
              user-select: none; }
            .src-line.step { background: var(--step); box-shadow: inset 3px 0 0 #1a4d8f; }
            .src-line.at { background: var(--at); box-shadow: inset 4px 0 0 #000; font-weight: 600; }
            .src-gap { display: block; color: var(--muted); padding-left: 5ch; }
            .apart { margin-top: 2rem; }
            .empty { color: var(--muted); }
            kbd { border: 1px solid var(--fg); border-radius: 3px; padding: 0 .25rem; font-size: .8rem; }
            footer { margin-top: 2rem; color: var(--muted); font-size: .8rem; }
            @media print {
              .filters, .legend .keys { display: none; }
              .finding { break-inside: avoid; }
              h2, h3, h4, figcaption, summary { break-after: avoid; }
              .excerpt pre { overflow: visible; }
              .src-line { white-space: pre-wrap; overflow-wrap: anywhere; padding-left: 8.5ch; text-indent: -8.5ch; }
              .finding[hidden], section[hidden] { display: block; }
              body { max-width: none; }
            }
            """;

    /**
     * The filter and the keyboard: a finding is shown when it matches both selects; a rule or file
     * section with no finding shown is hidden; {@code j}/{@code k} focus the next or previous
     * finding shown. Without the script every finding is shown.
     */
    static final String SCRIPT = """
            (function () {
              var rule = document.getElementById('filter-rule');
              var status = document.getElementById('filter-status');
              var count = document.getElementById('filter-count');
              var main = document.querySelectorAll('main > section.rule article.finding');
              function apply() {
                var shown = 0;
                main.forEach(function (f) {
                  var ok = (!rule.value || f.dataset.rule === rule.value)
                    && (!status.value || f.dataset.status === status.value);
                  f.hidden = !ok;
                  if (ok) { shown++; }
                });
                document.querySelectorAll('main > section.rule, main > section.rule > section.file').forEach(function (s) {
                  s.hidden = !s.querySelector('article.finding:not([hidden])');
                });
                count.textContent = shown + ' of ' + main.length + ' findings shown';
              }
              // a printed report holds everything: the folded traces and lists open
              window.addEventListener('beforeprint', function () {
                document.querySelectorAll('details').forEach(function (d) { d.open = true; });
              });
              rule.addEventListener('change', apply);
              status.addEventListener('change', apply);
              document.addEventListener('keydown', function (e) {
                if (e.target.tagName === 'SELECT' || e.target.tagName === 'INPUT' || e.altKey || e.ctrlKey || e.metaKey) {
                  return;
                }
                if (e.key !== 'j' && e.key !== 'k') { return; }
                var visible = Array.prototype.filter.call(document.querySelectorAll('article.finding'), function (f) {
                  return f.offsetParent !== null;
                });
                if (!visible.length) { return; }
                // the finding that holds the focus, even when the focus is on something inside it
                var at = document.activeElement && document.activeElement.closest
                  ? document.activeElement.closest('article.finding') : null;
                var i = visible.indexOf(at);
                var next = e.key === 'j' ? Math.min(visible.length - 1, i + 1) : Math.max(0, i < 0 ? 0 : i - 1);
                // its top below the sticky filter bar (the finding's scroll-margin-top)
                visible[next].focus({ preventScroll: true });
                visible[next].scrollIntoView({ block: 'start' });
                e.preventDefault();
              });
            })();
            """;
}
