package dev.dpccheck.analyzer.cfg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpccheck.analyzer.cfg.Cfg.EdgeKind;
import dev.dpccheck.analyzer.cfg.Cfg.Kind;
import dev.dpccheck.analyzer.cfg.Cfg.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import spoon.Launcher;
import spoon.reflect.code.CtInvocation;
import spoon.reflect.declaration.CtClass;
import spoon.reflect.declaration.CtMethod;

/** The shapes of the control-flow graph, checked as the sequences of calls along its paths. */
class CfgBuilderTest {
    private static Cfg cfg(String body) {
        CtClass<?> c = Launcher.parseClass("class T { int x; boolean ok; void a(){} void b(){} void c(){} void d(){}"
                + " void f(){} boolean p(){return true;} boolean q(){return true;}"
                + " void io() throws java.io.IOException {} void m(int k) throws Exception {" + body + "} }");
        CtMethod<?> m = c.getMethodsByName("m").get(0);
        return CfgBuilder.build(m);
    }

    /** Every path from entry to an exit as "a b c -> EXIT", loops cut at the second visit of a node. */
    private static Set<String> paths(Cfg g) {
        Set<String> out = new HashSet<>();
        walk(g.entry(), new ArrayList<>(), new ArrayDeque<>(), out);
        return out;
    }

    private static void walk(Node n, List<String> calls, Deque<Node> stack, Set<String> out) {
        if (stack.stream().filter(x -> x == n).count() >= 2) {
            return;
        }
        List<String> here = new ArrayList<>(calls);
        if (n.element() != null && n.kind() != Kind.JOIN) {
            for (CtInvocation<?> i : n.element().getElements(new spoon.reflect.visitor.filter.TypeFilter<>(
                    CtInvocation.class))) {
                here.add(i.getExecutable().getSimpleName());
            }
        }
        if (n.kind() == Kind.EXIT || n.kind() == Kind.THROW_EXIT) {
            out.add(String.join(" ", here) + " -> " + n.kind());
            return;
        }
        stack.push(n);
        for (Cfg.Edge e : n.successors()) {
            walk(e.to(), here, stack, out);
        }
        stack.pop();
    }

    @Test
    void ifElseJoins() {
        assertEquals(Set.of("p a c -> EXIT", "p b c -> EXIT"), paths(cfg("if (p()) a(); else b(); c();")));
    }

    @Test
    void conditionsAreSplitAtShortCircuitOperators() {
        Cfg g = cfg("if (p() && !q()) a(); b();");
        assertEquals(Set.of("p q a b -> EXIT", "p q b -> EXIT", "p b -> EXIT"), paths(g));
        long conditions = g.nodes().stream().filter(n -> n.kind() == Kind.CONDITION).count();
        assertEquals(2, conditions);
        // '!q()' takes the FALSE edge of q into the then-branch
        Node q = g.nodes().stream().filter(n -> n.kind() == Kind.CONDITION && n.element().toString().contains("q()"))
                .findFirst().orElseThrow();
        Node a = q.successors().stream().filter(e -> e.kind() == EdgeKind.FALSE).findFirst().orElseThrow().to();
        assertTrue(a.element().toString().contains("a()"), a.toString());
    }

    @Test
    void constantFalseGuardsAreDeadCode() {
        assertEquals(Set.of("b -> EXIT"), paths(cfg("if (false) a(); b();")));
    }

    @Test
    void loopsBreakAndContinue() {
        Set<String> p = paths(cfg("while (p()) { if (q()) break; if (ok) continue; a(); } b();"));
        assertTrue(p.contains("p b -> EXIT"), p.toString());
        assertTrue(p.contains("p q b -> EXIT"), p.toString());
        assertTrue(p.contains("p q a p b -> EXIT"), p.toString());
        assertTrue(p.contains("p q p b -> EXIT"), p.toString());
    }

    @Test
    void labeledBreakLeavesTheOuterLoop() {
        Set<String> p = paths(cfg("outer: for (int i = 0; i < k; i++) { for (;;) { if (p()) break outer; a(); } } b();"));
        assertTrue(p.contains("p b -> EXIT"), p.toString());
        assertTrue(p.stream().allMatch(s -> s.endsWith("b -> EXIT")), p.toString());
    }

    @Test
    void finallyRunsOnEveryWayOut() {
        Set<String> p = paths(cfg("try { if (p()) return; a(); } finally { f(); } b();"));
        // a() may throw: the finally runs and the exception leaves the method
        assertEquals(Set.of("p f -> EXIT", "p a f b -> EXIT", "p a f -> THROW_EXIT"), p);
        Set<String> thrown = paths(cfg("try { if (p()) throw new RuntimeException(); a(); } finally { f(); }"));
        assertEquals(Set.of("p f -> THROW_EXIT", "p a f -> EXIT", "p a f -> THROW_EXIT"), thrown);
    }

    @Test
    void catchHandlersAreReachedFromCallsInTheTry() {
        Set<String> p = paths(cfg("try { a(); b(); } catch (RuntimeException e) { c(); } d();"));
        assertEquals(Set.of("a b d -> EXIT", "a c d -> EXIT", "a b c d -> EXIT"), p);
    }

    @Test
    void aHandlerIsReachedOnlyFromCallsThatMayThrowWhatItCatches() {
        // a() declares nothing: it may throw unchecked exceptions, never an IOException
        assertEquals(Set.of("a d -> EXIT"), paths(cfg("try { a(); } catch (java.io.IOException e) { c(); } d();")));
        assertEquals(Set.of("io d -> EXIT", "io c d -> EXIT"),
                paths(cfg("try { io(); } catch (java.io.IOException e) { c(); } d();")));
        // the handler for the checked exception is not reached from a(); the one for unchecked ones is
        assertEquals(Set.of("a d -> EXIT", "a c d -> EXIT"), paths(cfg(
                "try { a(); } catch (java.io.IOException e) { b(); } catch (IllegalStateException e) { c(); } d();")));
        // a multi-catch catches each of its alternatives
        assertEquals(Set.of("io d -> EXIT", "io c d -> EXIT"), paths(cfg(
                "try { io(); } catch (IllegalStateException | java.io.IOException e) { c(); } d();")));
        // a throw goes to the handler of its type, past one that cannot catch it (p() itself may throw an unchecked one)
        assertEquals(Set.of("p d -> EXIT", "p c -> EXIT", "p b d -> EXIT"), paths(cfg("try { try { if (p()) throw new java.io.IOException();"
                + " } catch (IllegalStateException e) { b(); } } catch (java.io.IOException e) { c(); return; } d();")));
    }

    @Test
    void theWdmRoutinesThrowNothingIntoTheDriver() {
        Set<String> p = paths(cfg("try { dev.dpccheck.wdm.Wdm.KeLowerIrql(0); } catch (RuntimeException e) { c(); } d();"));
        assertEquals(Set.of("KeLowerIrql d -> EXIT"), p);
    }

    @Test
    void anExceptionInATryFinallyRunsTheFinallyBeforeTheOuterCatch() {
        Set<String> p = paths(cfg("try { try { a(); } finally { f(); } } catch (RuntimeException e) { c(); } d();"));
        assertEquals(Set.of("a f d -> EXIT", "a f c d -> EXIT"), p);
    }

    @Test
    void aReturnThroughAFinallyStillNamesItsReturnAtTheExit() {
        Cfg g = cfg("try { return; } finally { f(); }");
        Node last = g.exit().predecessors().get(0);
        assertTrue(last.element() instanceof spoon.reflect.code.CtReturn<?>, last.toString());
    }

    @Test
    void breakInsideTryRunsTheFinallyBeforeLeavingTheLoop() {
        Set<String> p = paths(cfg("while (p()) { try { if (q()) break; a(); } finally { f(); } } b();"));
        assertTrue(p.contains("p q f b -> EXIT"), p.toString());
        assertTrue(p.contains("p q a f p b -> EXIT"), p.toString());
    }

    @Test
    void switchStatementsFallThroughAndArrowsDoNot() {
        assertEquals(Set.of("a b d -> EXIT", "b d -> EXIT", "d -> EXIT"),
                paths(cfg("switch (k) { case 1: a(); case 2: b(); break; default: } d();")));
        assertEquals(Set.of("a d -> EXIT", "b d -> EXIT", "d -> EXIT"),
                paths(cfg("switch (k) { case 1 -> a(); case 2 -> b(); } d();")));
    }

    @Test
    void forEachLoopsAndDoWhile() {
        Set<String> p = paths(cfg("for (int v : new int[] {1}) { a(); } do { b(); } while (p()); c();"));
        assertTrue(p.contains("b p c -> EXIT"), p.toString());
        assertTrue(p.contains("a b p c -> EXIT"), p.toString());
        assertTrue(p.contains("a b p b p c -> EXIT"), p.toString());
    }

    @Test
    void aBodyOverTheBudgetIsRefused() {
        CtClass<?> c = Launcher.parseClass("class T { void a(){} void m() { a(); a(); a(); a(); a(); } }");
        assertThrows(CfgBuilder.BudgetExceeded.class, () -> CfgBuilder.build(c.getMethodsByName("m").get(0), 3));
    }
}
