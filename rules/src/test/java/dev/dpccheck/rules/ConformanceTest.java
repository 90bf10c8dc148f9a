package dev.dpccheck.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpccheck.analyzer.Analyzer;
import dev.dpccheck.analyzer.findings.Finding;
import dev.dpccheck.analyzer.spi.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the analyzer with every rule over all of testdata (the rule samples and the drivers) and
 * compares what it reports with the inline expectations: {@code // expect: A, B} on the line where
 * a finding belongs. Any unexpected, missing or mislocated finding fails the test, all of them
 * listed; precision and recall are printed per rule. Expectations of rules that only the kernel
 * checks at run time (or that the catalog does not have yet) are not the analyzer's and are
 * counted apart.
 */
class ConformanceTest {
    static final Path TESTDATA = Paths.get("..", "testdata");
    static final Pattern EXPECT = Pattern.compile("//\\s*expect:\\s*([A-Za-z, ]+)");

    @Test
    void everyExpectationIsFoundAndNothingElse() throws IOException {
        List<Rule> rules = Rules.all();
        Set<String> ids = rules.stream().map(r -> r.info().id()).collect(Collectors.toCollection(TreeSet::new));
        Analyzer.Result result = Analyzer.run(List.of(TESTDATA.resolve("rules"), TESTDATA.resolve("drivers")),
                List.of(), rules);
        Set<String> actual = new TreeSet<>();
        for (Finding f : result.findings()) {
            if (!f.suppressed()) {
                actual.add(Paths.get(f.location().file()).normalize() + ":" + f.location().line() + ":" + f.ruleId());
            }
        }
        Set<String> expected = new TreeSet<>();
        Set<String> notStatic = new TreeSet<>();
        for (String e : markers()) {
            (ids.contains(e.substring(e.lastIndexOf(':') + 1)) ? expected : notStatic).add(e);
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        Set<String> unexpected = new TreeSet<>(actual);
        unexpected.removeAll(expected);
        TreeMap<String, int[]> perRule = new TreeMap<>();
        for (String id : ids) {
            perRule.put(id, new int[3]);
        }
        for (String a : actual) {
            perRule.get(rule(a))[expected.contains(a) ? 0 : 1]++;
        }
        for (String m : missing) {
            perRule.get(rule(m))[2]++;
        }
        System.out.println("rule                           TP  FP  FN  precision  recall");
        perRule.forEach((id, c) -> System.out.printf("%-30s %3d %3d %3d  %9s  %6s%n", id, c[0], c[1], c[2],
                c[0] + c[1] == 0 ? "-" : String.format("%.2f", c[0] / (double) (c[0] + c[1])),
                c[0] + c[2] == 0 ? "-" : String.format("%.2f", c[0] / (double) (c[0] + c[2]))));
        System.out.println(notStatic.size() + " expectations belong to runtime-only rules or rules not in the catalog"
                + " yet: " + notStatic.stream().map(ConformanceTest::rule).collect(Collectors.toCollection(TreeSet::new)));
        List<String> problems = new ArrayList<>();
        missing.forEach(m -> problems.add("missing:    " + m));
        unexpected.forEach(u -> problems.add("unexpected: " + u));
        assertEquals(List.of(), problems);
        assertTrue(!expected.isEmpty());
    }

    private static String rule(String key) {
        return key.substring(key.lastIndexOf(':') + 1);
    }

    static Set<String> markers() throws IOException {
        Set<String> out = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(TESTDATA)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = EXPECT.matcher(lines.get(i));
                if (m.find()) {
                    for (String rule : m.group(1).split(",")) {
                        out.add(f.normalize() + ":" + (i + 1) + ":" + rule.trim());
                    }
                }
            }
        }
        return out;
    }
}
