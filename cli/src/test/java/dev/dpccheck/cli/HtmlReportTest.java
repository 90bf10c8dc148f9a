package dev.dpccheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit --format html} and {@code replay --html}: the DOM of what a person reads. */
class HtmlReportTest {
    private static final String VARIANT = "../testdata/drivers/seeded/start-next-too-early";

    @TempDir
    Path dir;

    private static Document parse(String html) {
        return Jsoup.parse(html);
    }

    /** Nothing the page loads from elsewhere: no script, style sheet, image or font by address. */
    private static void selfContained(Document d, String html) {
        assertTrue(d.select("script[src], link, img, iframe, object, embed").isEmpty(), "external resources");
        String noNamespaces = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assertFalse(noNamespaces.contains("http://") || noNamespaces.contains("https://") || noNamespaces.contains("url(http")
                || noNamespaces.contains("@import") || noNamespaces.contains("@font-face"), "an address in the page");
    }

    @Test
    void theReportOfTestdataShowsEveryFindingByRuleAndFileWithItsLinesHighlighted() throws Exception {
        Cli html = Cli.run("audit", "--format", "html", "../testdata");
        assertEquals(1, html.code(), html.err());
        Cli json = Cli.run("audit", "--format", "json", "../testdata");
        JsonNode findings = new ObjectMapper().readTree(json.out()).path("findings");
        Document d = parse(html.out());
        selfContained(d, html.out());
        Elements articles = d.select("main > section.rule article.finding");
        List<JsonNode> shown = new ArrayList<>();
        findings.forEach(f -> {
            if (!f.path("suppressed").asBoolean()) {
                shown.add(f);
            }
        });
        assertEquals(shown.size(), articles.size());
        assertTrue(articles.size() > 100, "testdata has the seeded drivers and the corpus: " + articles.size());
        // each finding sits in its rule's section, under its file's heading
        for (Element a : articles) {
            Element rule = a.closest("section.rule");
            Element file = a.closest("section.file");
            assertNotNull(rule);
            assertNotNull(file);
            assertEquals(a.attr("data-rule"), rule.attr("data-rule"));
            assertEquals(a.attr("data-file"), file.selectFirst("h3.file-name").text());
            // its line is highlighted in the excerpt of its file, and each witness step's line carries its number
            Element at = a.selectFirst("figure.excerpt .src-line.at[data-line=" + a.attr("data-line") + "]");
            assertNotNull(at, a.id() + " " + a.attr("data-file") + ":" + a.attr("data-line"));
            Elements steps = a.select("ol.witness > li");
            for (Element step : steps) {
                String where = step.selectFirst(".where").text();
                String line = where.substring(where.lastIndexOf(':') + 1);
                boolean marked = a.select("figure.excerpt .src-line.step[data-line=" + line + "]").stream()
                        .anyMatch(l -> List.of(l.attr("data-steps").split(" ")).contains(step.attr("data-step")));
                assertTrue(marked, a.id() + ": step " + step.attr("data-step") + " at " + where);
            }
            assertEquals("static", a.attr("data-status"));
            // named by its heading, for a screen reader; its highlighted line says in words what it is
            assertEquals(a.selectFirst("h4").id(), a.attr("aria-labelledby"));
            assertTrue(at.selectFirst(".sr-only").text().startsWith("the finding's line"), at.outerHtml());
        }
        // each excerpt can be scrolled with the keyboard and has a name of its own
        List<String> regions = d.select("figure.excerpt pre[role=region][tabindex=0]").eachAttr("aria-label");
        assertEquals(d.select("figure.excerpt pre").size(), regions.size());
        assertEquals(new TreeSet<>(regions).size(), regions.size(), "two excerpts with one name");
        // the same findings as the JSON report, by rule and place
        Set<String> fromJson = shown.stream().map(f -> f.path("ruleId").asText() + " " + f.path("file").asText() + ":"
                + f.path("line").asInt()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> fromHtml = articles.stream().map(a -> a.attr("data-rule") + " " + a.attr("data-file") + ":"
                + a.attr("data-line")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(fromJson, fromHtml);
        // the rule filter offers exactly the rules shown; sections are one per rule
        Set<String> options = d.select("#filter-rule option[value]").stream().map(o -> o.attr("value"))
                .filter(v -> !v.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> rules = articles.stream().map(a -> a.attr("data-rule")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(rules, options);
        assertEquals(rules.size(), d.select("main > section.rule").size());
        assertNotNull(d.selectFirst("#notifications"));
        assertNotNull(d.selectFirst("aside.legend dl"));
        // byte-identical for the same input
        assertEquals(html.out(), Cli.run("audit", "--format", "html", "../testdata").out());
    }

    @Test
    void suppressedAndBaselinedFindingsAreShownApart() throws Exception {
        Path src = dir.resolve("src/t");
        Files.createDirectories(src);
        Files.writeString(src.resolve("T.java"), String.format(Cli.DPC, "@SuppressWarnings(\"dpccheck:IrqlTooHigh\")"));
        Document suppressed = parse(Cli.run("audit", "--format", "html", dir.resolve("src").toString()).out());
        assertTrue(suppressed.select("main > section.rule article.finding").isEmpty());
        Elements apart = suppressed.select("section#suppressed article.finding");
        assertEquals(1, apart.size());
        assertEquals("IrqlTooHigh", apart.first().attr("data-rule"));

        Path baseline = dir.resolve("baseline.sarif");
        assertEquals(1, Cli.run("audit", "--format", "sarif", "-o", baseline.toString(), VARIANT).code());
        Cli html = Cli.run("audit", "--format", "html", "--baseline", baseline.toString(), VARIANT);
        assertEquals(0, html.code(), html.err());
        Document d = parse(html.out());
        assertTrue(d.select("main > section.rule article.finding").isEmpty());
        Elements base = d.select("section#baseline article.finding");
        assertTrue(base.stream().anyMatch(a -> a.attr("data-rule").equals("StartNextPacketTooEarly")), base.toString());
        assertTrue(d.selectFirst("header").text().contains("in the baseline"));
    }

    @Test
    void aValidatedReportEmbedsTheScheduleThatShowedEachFinding() throws Exception {
        Path traces = dir.resolve("traces");
        Cli html = Cli.run("audit", "--validate", "--schedules", "200", "--traces", traces.toString(), "--format", "html",
                VARIANT);
        assertEquals(1, html.code(), html.err());
        Document d = parse(html.out());
        selfContained(d, html.out());
        Element confirmed = d.select("article.finding[data-rule=StartNextPacketTooEarly]").first();
        assertNotNull(confirmed);
        assertEquals("confirmed", confirmed.attr("data-status"));
        assertNotNull(confirmed.selectFirst(".badge.status-confirmed"));
        assertTrue(confirmed.selectFirst("p.replay code").text().startsWith("dpccheck replay "));
        Element view = confirmed.selectFirst("details.trace .trace-view");
        assertNotNull(view, "the confirmed finding embeds its trace");
        assertNotNull(view.selectFirst("svg.timeline g.lane[data-lane=CPU0]"));
        assertFalse(view.select("svg.timeline g.routine").isEmpty());
        assertFalse(view.select("svg.timeline g.mark.call").isEmpty());
        assertNotNull(view.selectFirst("svg.timeline g.violation"));
        assertTrue(view.selectFirst("svg.timeline g.violation").attr("data-detail").contains("StartNextPacketTooEarly"));
        // the race found by simulation joins its two accesses: the DPC's read at 381 and StartIo's write at 247
        Element race = d.select("article.finding[data-rule=DataRace]").first();
        assertNotNull(race);
        assertEquals("found-by-simulation", race.attr("data-status"));
        // a rule only the kernel checks has its monitor's title
        assertEquals("DataRace Two contexts access a shared field or element, one of them writing, with nothing ordering"
                + " the accesses.", d.selectFirst("section#rule-DataRace h2").text());
        Element joined = race.selectFirst("svg.timeline g.race");
        assertNotNull(joined, "the race's two accesses are joined");
        assertTrue(joined.attr("data-detail").contains("DmaDiskDriver.java:381")
                && joined.attr("data-detail").contains("DmaDiskDriver.java:247"), joined.attr("data-detail"));
        // ids are unique in the page, though it embeds several views
        List<String> ids = d.select("[id]").stream().map(Element::id).collect(Collectors.toList());
        assertEquals(new TreeSet<>(ids).size(), ids.size());
        Cli again = Cli.run("audit", "--validate", "--schedules", "200", "--traces", traces.toString(), "--format", "html",
                VARIANT);
        assertEquals(html.out(), again.out());
    }

    @Test
    void replayWritesTheTraceAsATimelinePage() throws Exception {
        Path traces = dir.resolve("traces");
        Cli.run("audit", "--validate", "--schedules", "200", "--traces", traces.toString(), VARIANT);
        Path trace;
        try (var s = Files.walk(traces)) {
            trace = s.filter(p -> p.getFileName().toString().startsWith("DataRace-")).findFirst().orElseThrow();
        }
        Path page = dir.resolve("trace.html");
        Cli r = Cli.run("replay", "--html", "-o", page.toString(), trace.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("replayed exactly"), r.out());
        String html = Files.readString(page);
        Document d = parse(html);
        selfContained(d, html);
        Elements lanes = d.select("svg.timeline g.lane");
        assertEquals("CPU0", lanes.first().attr("data-lane"));
        assertTrue(lanes.stream().anyMatch(l -> l.attr("data-lane").startsWith("device ")), lanes.toString());
        Elements marks = d.select("svg.timeline g.mark");
        assertTrue(marks.size() > 100, String.valueOf(marks.size()));
        assertTrue(marks.size() <= 400, "the view draws at most its window");
        // a mark's detail gives the event, its source line and the value
        Element read = d.select("svg.timeline g.mark.read[data-where=DmaDiskDriver.java:381]").last();
        assertNotNull(read);
        assertTrue(read.attr("data-detail").contains("reads DiskExtension#") && read.attr("data-detail").contains("BytesDone"),
                read.attr("data-detail"));
        assertNotNull(d.selectFirst("svg.timeline g.race"));
        assertNotNull(d.selectFirst("svg.timeline g.violation"));
        assertNotNull(d.selectFirst("svg.overview rect.window"), "what is collapsed is framed in the overview");
        assertNotNull(d.selectFirst("dl.trace-legend"));
        // a page with a main landmark; the drawing is hidden from screen readers, which hear the detail line
        assertNotNull(d.selectFirst("main .trace-view"));
        assertEquals("true", d.selectFirst("svg.timeline").attr("aria-hidden"));
        assertEquals(d.selectFirst("p.trace-detail").id(), d.selectFirst(".trace-scroll").attr("aria-describedby"));
        assertEquals("polite", d.selectFirst("p.trace-detail").attr("aria-live"));
        // the interleaving in text is not printed with --html -o; the same trace gives the same page
        assertFalse(r.out().contains("processor: context: event"), r.out());
        Cli again = Cli.run("replay", "--html", trace.toString());
        assertEquals(html, again.out());
        assertEquals(2, Cli.run("replay", "-o", page.toString(), trace.toString()).code());
        // --window: 0 draws every event up to the violation; it needs --html and is not negative
        Cli whole = Cli.run("replay", "--html", "--window", "0", trace.toString());
        assertEquals(1, whole.code(), whole.err());
        Document all = parse(whole.out());
        assertTrue(all.select("svg.timeline g.collapsed").isEmpty());
        assertTrue(all.select("svg.timeline g.mark").size() > marks.size());
        Cli none = Cli.run("replay", "--window", "10", trace.toString());
        assertEquals(2, none.code());
        assertEquals("dpccheck: --window needs --html.", none.err().strip());
        Cli negative = Cli.run("replay", "--html", "--window", "-1", trace.toString());
        assertEquals(2, negative.code());
        assertTrue(negative.err().contains("--window must be 0 (every event) or more, not -1"), negative.err());
    }
}
