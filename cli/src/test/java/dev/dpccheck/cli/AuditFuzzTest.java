package dev.dpccheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.javaparser.JavaParser;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.DoStmt;
import com.github.javaparser.ast.stmt.IfStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.stmt.TryStmt;
import dev.dpccheck.analyzer.scan.LargeStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Audit over mutants of testdata: every sample, parsed with JavaParser, gets random structural
 * mutations (statements deleted, duplicated, nested; expressions deepened; branches swapped;
 * garbage tokens injected, files cut short), each mutant in a package of its own. A batch of
 * mutants is one audit run, with an unmutated driver beside them whose finding must survive.
 * Every run must end within its time, print no stack trace, exit 0 or 1, and write SARIF that the
 * schema accepts. The batch seeds come from a fixed seed, so a failure names the batch seed that
 * reproduces it.
 */
class AuditFuzzTest {
    /** Mutants per audit run: one Spoon model holds them all, which is what keeps the test fast. */
    static final int BATCH = 500;
    /** Audit runs; BATCH × RUNS mutants per build. */
    static final int RUNS = 6;

    private static final List<CompilationUnit> SEEDS = seeds();
    private static final String[] GARBAGE = {"}", "{", ";", "(", ")", "@", "\"", "/*", "class", "if (", "else",
        "->", "::", "<<<", "\u00e9", "\uFEFF", "...", "default", "case 1:", "0x", "'", "\\u", "[]", "<T>", "yield"};

    private static List<CompilationUnit> seeds() {
        JavaParser parser = new JavaParser(new ParserConfiguration()
                .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17));
        // the rule samples and the drivers: every shape the rules look for, in files small enough that
        // thousands of mutants fit in a minute (the corpus's large drivers would take twice as long)
        List<CompilationUnit> out = new ArrayList<>();
        try {
            for (String root : List.of("rules", "drivers", "hostile")) {
                try (Stream<Path> s = Files.walk(SarifTest.REPO.resolve("testdata").resolve(root))) {
                    for (Path p : s.filter(f -> f.toString().endsWith(".java")).sorted().collect(Collectors.toList())) {
                        out.add(parser.parse(p).getResult().orElseThrow());
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static LongStream batchSeeds() {
        Random seeds = new Random(8462);
        return LongStream.generate(seeds::nextLong).limit(RUNS);
    }

    @ParameterizedTest(name = "batch seed {0}")
    @MethodSource("batchSeeds")
    void auditSurvivesMutantsOfTestdata(long seed) throws Exception {
        Path dir = Files.createTempDirectory("dpccheck-fuzz");
        try {
            // JavaParser's printer recurses as deep as the mutants are nested
            LargeStack.call("fuzz-mutants", () -> {
                Random rnd = new Random(seed);
                for (int i = 0; i < BATCH; i++) {
                    CompilationUnit seedUnit = SEEDS.get(rnd.nextInt(SEEDS.size()));
                    Files.writeString(dir.resolve("M" + i + ".java"), mutant(seedUnit, rnd, i), StandardCharsets.UTF_8);
                }
                return null;
            });
            Path control = dir.resolve("control/T.java");
            Files.createDirectories(control.getParent());
            Files.writeString(control, String.format(Cli.DPC, ""));
            Cli r = assertTimeoutPreemptively(Duration.ofSeconds(90),
                    () -> Cli.run("audit", "--format", "sarif", "--fail-on", "never", dir.toString()),
                    "seed " + seed + ": the audit did not end within its time");
            assertEquals(0, r.code(), "seed " + seed + ": " + r.err());
            assertFalse(r.err().contains("\tat ") || r.err().contains("internal error"), "seed " + seed + ": " + r.err());
            assertEquals(java.util.Set.of(), SarifTest.validate(r.out()), "seed " + seed);
            JsonNode results = new ObjectMapper().readTree(r.out()).path("runs").path(0).path("results");
            boolean controlFound = false;
            for (JsonNode res : results) {
                JsonNode loc = res.path("locations").path(0).path("physicalLocation");
                controlFound |= res.path("ruleId").asText().equals("IrqlTooHigh")
                        && loc.path("artifactLocation").path("uri").asText().endsWith("control/T.java")
                        && loc.path("region").path("startLine").asInt() == 8;
            }
            assertTrue(controlFound, "seed " + seed + ": the unmutated driver lost its finding");
            assertTrue(r.err().lines().allMatch(l -> l.startsWith("dpccheck: warning: ")), "seed " + seed + ": " + r.err());
            // a rule that fails is a notification, so the run goes on; on mutants of testdata it is still a bug
            assertFalse(r.err().contains("The rule '"), "seed " + seed + ": " + r.err());
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                    Files.delete(p);
                }
            }
        }
    }

    /** A mutant of {@code seed}, in a package of its own. */
    static String mutant(CompilationUnit seed, Random rnd, int index) {
        CompilationUnit cu = seed.clone();
        cu.getPackageDeclaration().ifPresent(p -> p.setName(p.getNameAsString() + ".m" + index));
        int mutations = 1 + rnd.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            switch (rnd.nextInt(5)) {
                case 0 -> pick(rnd, statementsInBlocks(cu)).ifPresent(Node::remove);
                case 1 -> pick(rnd, statementsInBlocks(cu)).ifPresent(s -> duplicate(s));
                case 2 -> pick(rnd, statementsInBlocks(cu)).ifPresent(s -> nest(s, rnd));
                case 3 -> pick(rnd, replaceableExpressions(cu)).ifPresent(e -> deepen(e, rnd));
                default -> pick(rnd, cu.findAll(IfStmt.class)).ifPresent(AuditFuzzTest::swap);
            }
        }
        String text = cu.toString();
        if (rnd.nextInt(4) == 0) {
            // garbage tokens where the lexer does not expect them, or the file cut short
            StringBuilder sb = new StringBuilder(text);
            int tokens = 1 + rnd.nextInt(3);
            for (int i = 0; i < tokens; i++) {
                sb.insert(rnd.nextInt(sb.length() + 1), " " + GARBAGE[rnd.nextInt(GARBAGE.length)] + " ");
            }
            text = rnd.nextInt(8) == 0 ? sb.substring(0, rnd.nextInt(sb.length() + 1)) : sb.toString();
        }
        return text;
    }

    private static <T> java.util.Optional<T> pick(Random rnd, List<T> items) {
        return items.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(items.get(rnd.nextInt(items.size())));
    }

    private static List<Statement> statementsInBlocks(CompilationUnit cu) {
        return cu.findAll(Statement.class, s -> s.getParentNode().filter(p -> p instanceof BlockStmt).isPresent());
    }

    private static List<Expression> replaceableExpressions(CompilationUnit cu) {
        return cu.findAll(Expression.class, e -> !(e instanceof NameExpr && e.getParentNode()
                .filter(p -> p instanceof MethodCallExpr m && m.getScope().filter(sc -> sc == e).isPresent()).isPresent())
                && e.getParentNode().filter(p -> p instanceof MethodCallExpr || p instanceof BinaryExpr
                        || p instanceof com.github.javaparser.ast.body.VariableDeclarator
                        || p instanceof com.github.javaparser.ast.stmt.ReturnStmt).isPresent());
    }

    private static void duplicate(Statement s) {
        BlockStmt block = (BlockStmt) s.getParentNode().orElseThrow();
        block.getStatements().addAfter(s.clone(), s);
    }

    /** Puts the statement inside 1 to 20 (now and then 200) ifs, loops, tries and blocks. */
    private static void nest(Statement s, Random rnd) {
        int depth = rnd.nextInt(40) == 0 ? 200 : 1 + rnd.nextInt(20);
        Statement inner = s.clone();
        for (int i = 0; i < depth; i++) {
            BlockStmt body = new BlockStmt(new NodeList<>(inner));
            inner = switch (rnd.nextInt(4)) {
                case 0 -> new IfStmt(new BooleanLiteralExpr(rnd.nextBoolean()), body, null);
                case 1 -> new DoStmt(body, new BooleanLiteralExpr(false));
                case 2 -> new TryStmt(body, new NodeList<>(), new BlockStmt());
                default -> body;
            };
        }
        s.replace(inner);
    }

    /** Wraps the expression in 1 to 30 (now and then 300) parentheses, or makes it the first term of a long sum. */
    private static void deepen(Expression e, Random rnd) {
        int depth = rnd.nextInt(40) == 0 ? 300 : 1 + rnd.nextInt(30);
        Expression inner = e.clone();
        boolean sum = rnd.nextBoolean();
        for (int i = 0; i < depth; i++) {
            inner = sum ? new BinaryExpr(inner, new IntegerLiteralExpr(String.valueOf(i)), BinaryExpr.Operator.PLUS)
                    : new EnclosedExpr(inner);
        }
        e.replace(inner);
    }

    private static void swap(IfStmt s) {
        Statement then = s.getThenStmt();
        s.setThenStmt(s.getElseStmt().map(Statement::clone).orElse(new BlockStmt()));
        s.setElseStmt(then.clone());
    }
}
