package dev.dpccheck.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpccheck.analyzer.Analyzer;
import dev.dpccheck.analyzer.findings.Finding;
import dev.dpccheck.analyzer.spi.Rule;
import dev.dpccheck.kernel.verifier.Catalog;
import dev.dpccheck.kernel.verifier.Markers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the analyzer with every rule over all of testdata (the rule samples, the drivers and the
 * corpus) and compares what it reports with the inline expectations, CodeQL's way:
 * {@code // expect: A, B} on the line where a finding belongs; {@code // spurious: A} where the
 * analyzer reports a finding that is not a defect (a known false positive); {@code // missing: A}
 * where a defect is that the analyzer does not report (a known false negative). Any unexpected,
 * absent or mislocated finding fails the test, all of them listed, and so does a fixed
 * {@code spurious} or {@code missing} marker, so that the markers are always the truth. Precision
 * and recall are printed per rule, with every known false positive and negative counted against
 * them, for all of testdata and for {@code testdata/corpus} alone. Expectations of rules that only
 * the kernel checks at run time are counted apart; they must name a monitor of the kernel's
 * verifier catalog and say {@code (confirmed)} (DriverCorpusTest checks that the kernel shows them).
 * The marker syntax is {@link Markers}'.
 */
class ConformanceTest {
    static final Path TESTDATA = Paths.get("..", "testdata");
    static final Path CORPUS = TESTDATA.resolve("corpus");
    /** The markers of testdata, each {@code file:line:RuleId}, by kind; {@code confirmed} is a subset of {@code expect}. */
    record MarkerSets(Set<String> expect, Set<String> confirmed, Set<String> spurious, Set<String> missing) {
    }

    @Test
    void everyExpectationIsFoundAndNothingElse() throws IOException {
        List<Rule> rules = Rules.all();
        Set<String> ids = rules.stream().map(r -> r.info().id()).collect(Collectors.toCollection(TreeSet::new));
        List<Path> roots = new ArrayList<>(List.of(TESTDATA.resolve("rules"), TESTDATA.resolve("drivers")));
        if (Files.isDirectory(CORPUS)) {
            roots.add(CORPUS);
        }
        Analyzer.Result result = Analyzer.run(roots, List.of(), rules);
        Set<String> actual = new TreeSet<>();
        for (Finding f : result.findings()) {
            if (!f.suppressed()) {
                actual.add(Paths.get(f.location().file()).normalize() + ":" + f.location().line() + ":" + f.ruleId());
            }
        }
        MarkerSets all = markers();
        Set<String> notStatic = new TreeSet<>();
        Set<String> expected = staticOnly(all.expect(), ids, notStatic);
        Set<String> spurious = staticOnly(all.spurious(), ids, notStatic);
        Set<String> missing = staticOnly(all.missing(), ids, notStatic);

        List<String> problems = new ArrayList<>();
        for (String n : notStatic) {
            String rule = rule(n);
            if (Catalog.find(rule).isEmpty()) {
                problems.add("unknown rule:        " + n + " (neither a static rule nor a runtime monitor)");
            } else if (all.expect().contains(n) && !all.confirmed().contains(n)) {
                problems.add("runtime-only:        " + n + " (a rule with no static check is expected '(confirmed)')");
            }
        }
        for (String e : expected) {
            if (!actual.contains(e)) {
                problems.add("not found:           " + e);
            }
        }
        for (String s : spurious) {
            if (!actual.contains(s)) {
                problems.add("spurious, now gone:  " + s + " (update the marker)");
            }
        }
        for (String m : missing) {
            if (actual.contains(m)) {
                problems.add("missing, now found:  " + m + " (update the marker)");
            }
        }
        for (String a : actual) {
            if (!expected.contains(a) && !spurious.contains(a)) {
                problems.add("unexpected:          " + a);
            }
        }
        System.out.println("all of testdata");
        table(ids, actual, expected, missing, p -> true);
        String corpus = CORPUS.normalize().toString();
        System.out.println("testdata/corpus");
        table(ids, actual, expected, missing, p -> p.startsWith(corpus));
        System.out.println(notStatic.size() + " expectations belong to runtime-only rules: " + notStatic.stream().map(ConformanceTest::rule).collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(List.of(), problems);
        assertTrue(!expected.isEmpty());
    }

    private static Set<String> staticOnly(Set<String> markers, Set<String> ids, Set<String> notStatic) {
        Set<String> out = new TreeSet<>();
        for (String m : markers) {
            (ids.contains(rule(m)) ? out : notStatic).add(m);
        }
        return out;
    }

    /**
     * Prints true and false positives and negatives per rule for the findings in {@code files},
     * a finding marked {@code spurious} counting as a false positive and a {@code missing} marker
     * as a false negative.
     */
    private static void table(Set<String> ids, Set<String> actual, Set<String> expected, Set<String> missing,
            Predicate<String> files) {
        TreeMap<String, int[]> perRule = new TreeMap<>();
        for (String id : ids) {
            perRule.put(id, new int[3]);
        }
        for (String a : actual) {
            if (files.test(a)) {
                perRule.get(rule(a))[expected.contains(a) ? 0 : 1]++;
            }
        }
        for (String e : expected) {
            if (files.test(e) && !actual.contains(e)) {
                perRule.get(rule(e))[2]++;
            }
        }
        for (String m : missing) {
            if (files.test(m) && !actual.contains(m)) {
                perRule.get(rule(m))[2]++;
            }
        }
        int[] total = new int[3];
        System.out.println("rule                           TP  FP  FN  precision  recall");
        perRule.forEach((id, c) -> {
            for (int i = 0; i < 3; i++) {
                total[i] += c[i];
            }
            if (c[0] + c[1] + c[2] > 0) {
                System.out.println(row(id, c));
            }
        });
        System.out.println(row("all rules", total));
    }

    private static String row(String id, int[] c) {
        return String.format("%-30s %3d %3d %3d  %9s  %6s", id, c[0], c[1], c[2],
                c[0] + c[1] == 0 ? "-" : String.format("%.2f", c[0] / (double) (c[0] + c[1])),
                c[0] + c[2] == 0 ? "-" : String.format("%.2f", c[0] / (double) (c[0] + c[2])));
    }

    private static String rule(String key) {
        return key.substring(key.lastIndexOf(':') + 1);
    }

    /**
     * The markers of testdata, by kind. The hostile drivers are left out: their markers say what
     * the simulation does with them, and HostileDriverTest checks those.
     */
    static MarkerSets markers() throws IOException {
        MarkerSets out = new MarkerSets(new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
        Path hostile = TESTDATA.resolve("hostile").normalize();
        for (Markers.Marker m : Markers.of(TESTDATA)) {
            Path f = m.file().normalize();
            if (f.startsWith(hostile)) {
                continue;
            }
            String key = f + ":" + m.line() + ":" + m.rule();
            switch (m.kind()) {
                case EXPECT -> {
                    out.expect().add(key);
                    if (m.confirmed()) {
                        out.confirmed().add(key);
                    }
                }
                case SPURIOUS -> out.spurious().add(key);
                case MISSING -> out.missing().add(key);
                case EXPECT_RUN -> {
                }
            }
        }
        return out;
    }
}
