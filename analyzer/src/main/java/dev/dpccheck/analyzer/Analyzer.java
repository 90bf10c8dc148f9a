package dev.dpccheck.analyzer;

import dev.dpccheck.analyzer.findings.Finding;
import dev.dpccheck.analyzer.findings.Location;
import dev.dpccheck.analyzer.findings.Notification;
import dev.dpccheck.analyzer.model.SourceModel;
import dev.dpccheck.analyzer.scan.LargeStack;
import dev.dpccheck.analyzer.scan.PreScan;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.Reporter;
import dev.dpccheck.analyzer.spi.Rule;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import spoon.reflect.code.CtBlock;
import spoon.reflect.code.CtLambda;
import spoon.reflect.code.CtLiteral;
import spoon.reflect.code.CtNewArray;
import spoon.reflect.cu.SourcePosition;
import spoon.reflect.declaration.CtAnnotation;
import spoon.reflect.declaration.CtElement;
import spoon.reflect.declaration.CtExecutable;

/**
 * The analyzer's pipeline: pre-scan, model, driver model, engines, rules, findings. Findings and
 * notifications come out sorted, so that the same input gives the same output.
 */
public final class Analyzer {
    /** What a run produced. */
    public record Result(List<Finding> findings, List<Notification> notifications, int filesRead,
            int filesAnalyzed) {
    }

    private Analyzer() {
    }

    /** Told how far an audit got, for a progress display; called from any thread. */
    public interface Progress {
        /** {@code done} of {@code total} steps of the named phase are done. */
        void step(String phase, int done, int total);

        Progress NONE = (phase, done, total) -> {
        };
    }

    /** Analyzes the sources under {@code paths} with {@code rules}. */
    public static Result run(List<Path> paths, List<Path> classpath, List<Rule> rules) throws IOException {
        return run(paths, classpath, rules, Progress.NONE);
    }

    /** As {@link #run(List, List, List)}, telling {@code progress} how far it got. */
    public static Result run(List<Path> paths, List<Path> classpath, List<Rule> rules, Progress progress)
            throws IOException {
        return run(paths, classpath, rules, progress, 0);
    }

    /**
     * As {@link #run(List, List, List, Progress)}, checking the rules on {@code threads} threads
     * (0 for one per processor).
     */
    public static Result run(List<Path> paths, List<Path> classpath, List<Rule> rules, Progress progress,
            int threads) throws IOException {
        try {
            // the parsers, Spoon and the engines recurse per level of nesting: deep code needs a deep stack
            return LargeStack.call("dpccheck-analysis", () -> analyze(paths, classpath, rules, progress, threads));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Result analyze(List<Path> paths, List<Path> classpath, List<Rule> rules, Progress progress,
            int threads) throws Exception {
        progress.step("reading sources", 0, 3);
        PreScan.Result scan = PreScan.scan(paths);
        progress.step("building the model", 1, 3);
        TreeSet<Notification> notes = new TreeSet<>(scan.notifications());
        if (scan.selected().isEmpty()) {
            return new Result(List.of(), new ArrayList<>(notes), scan.filesRead(), 0);
        }
        SourceModel model = SourceModel.build(scan.selected(), classpath);
        notes.addAll(model.notifications());
        Analysis analysis = new Analysis(model);
        progress.step("checking rules", 2, 3);
        AtomicInteger checked = new AtomicInteger();
        // the rules run on as many threads as there are processors; their findings merge in rule order
        List<Future<TreeMap<String, Finding>>> perRule = new ArrayList<>();
        ExecutorService pool = LargeStack.pool("dpccheck-rules",
                Math.max(1, Math.min(rules.size(), threads > 0 ? threads : Runtime.getRuntime().availableProcessors())));
        try {
            for (Rule rule : rules) {
                perRule.add(pool.submit(() -> {
                    TreeMap<String, Finding> found = check(rule, model, analysis, notes);
                    progress.step("checking rules", checked.incrementAndGet(), rules.size());
                    return found;
                }));
            }
            TreeMap<String, Finding> findings = new TreeMap<>();
            for (Future<TreeMap<String, Finding>> f : perRule) {
                findings.putAll(LargeStack.get(f));
            }
            notes.addAll(analysis.notifications());
            List<Finding> out = new ArrayList<>(findings.values());
            out.sort(null);
            return new Result(out, new ArrayList<>(notes), scan.filesRead(), model.filesBuilt(scan.selected().size()));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The findings of one rule. A rule that fails (a bug, or code too deep even for the large
     * stack) is a notification, keeping what it found so far; the other rules go on.
     */
    private static TreeMap<String, Finding> check(Rule rule, SourceModel model, Analysis analysis,
            java.util.Set<Notification> notes) {
        TreeMap<String, Finding> findings = new TreeMap<>();
        RuleInfo info = rule.info();
        try {
            analysis.checking(info.id(), () -> rule.check(analysis, new Reporter() {
                @Override
                public void report(CtElement site, String message, List<CtElement> witness) {
                    add(findings, model, info, site, model.locate(site), message, witness);
                }

                @Override
                public void reportAtEnd(CtExecutable<?> body, String message, List<CtElement> witness) {
                    add(findings, model, info, body, closingBrace(model, body), message, witness);
                }
            }));
        } catch (RuntimeException | StackOverflowError e) {
            String why = e instanceof StackOverflowError ? "code nested too deeply for its stack"
                    : e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                            : ": " + e.getMessage().lines().findFirst().orElse("").strip());
            synchronized (notes) {
                notes.add(new Notification(null, 0, "The rule '" + info.id() + "' failed (" + why
                        + "); its findings may be missing."));
            }
        }
        return findings;
    }

    private static void add(TreeMap<String, Finding> findings, SourceModel model, RuleInfo info, CtElement site,
            Location at, String message, List<CtElement> witness) {
        if (at == null) {
            return;
        }
        List<Finding.Step> steps = new ArrayList<>();
        for (CtElement w : witness) {
            Location l = model.locate(w);
            if (l != null) {
                steps.add(new Finding.Step(l, describe(model.snippet(w))));
            }
        }
        Finding f = new Finding(info.id(), info.severity(), message, at, steps, false);
        if (suppressed(site, info.id())) {
            f = f.suppress();
        }
        findings.putIfAbsent(info.id() + "@" + at, f);
    }

    private static String describe(String text) {
        String s = text.replaceAll("\\s+", " ");
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    /** The location of the closing brace of a method's or lambda's body. */
    static Location closingBrace(SourceModel model, CtExecutable<?> body) {
        CtBlock<?> block = body.getBody();
        CtElement end = block != null ? block : body instanceof CtLambda<?> l ? l : body;
        SourcePosition p = end.getPosition();
        Location start = model.locate(end);
        if (start == null || p == null || !p.isValidPosition()) {
            return start;
        }
        int column = p.getEndColumn();
        return new Location(start.file(), p.getEndLine(), column, column + 1);
    }

    /** Whether {@code @SuppressWarnings("dpccheck:RuleId")} on an enclosing declaration covers the site. */
    static boolean suppressed(CtElement site, String ruleId) {
        for (CtElement e = site; e != null && e.isParentInitialized(); e = e.getParent()) {
            for (CtAnnotation<?> a : e.getAnnotations()) {
                if (a.getAnnotationType().getSimpleName().equals("SuppressWarnings")) {
                    for (CtElement v : values(a.getValue("value"))) {
                        if (v instanceof CtLiteral<?> lit && ("dpccheck:" + ruleId).equals(lit.getValue())) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private static List<CtElement> values(CtElement v) {
        if (v instanceof CtNewArray<?> arr) {
            return new ArrayList<>(arr.getElements());
        }
        return v == null ? List.of() : List.of(v);
    }
}
