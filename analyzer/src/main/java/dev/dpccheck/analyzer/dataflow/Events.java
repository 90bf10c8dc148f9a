package dev.dpccheck.analyzer.dataflow;

import java.util.ArrayList;
import java.util.List;
import spoon.reflect.code.CtAbstractInvocation;
import spoon.reflect.code.CtArrayWrite;
import spoon.reflect.code.CtAssignment;
import spoon.reflect.code.CtLocalVariable;
import spoon.reflect.code.CtConditional;
import spoon.reflect.code.CtFieldAccess;
import spoon.reflect.code.CtLambda;
import spoon.reflect.code.CtNewClass;
import spoon.reflect.code.CtOperatorAssignment;
import spoon.reflect.code.CtSwitchExpression;
import spoon.reflect.declaration.CtElement;
import spoon.reflect.declaration.CtType;

/**
 * The events of one CFG node in evaluation order: invocations and constructor calls (after their
 * target and arguments), field reads and writes (a write after the value it stores), array stores,
 * and assignments to variables (the variable written, also by {@code ++} and {@code --}, or the local
 * variable declared). Bodies of
 * lambdas and anonymous classes are not part of the enclosing node: they run when called.
 * The arms of a conditional or switch expression are alternatives: {@link #items} gives them as a
 * {@link Fork}, and the engines follow each arm on its own.
 */
public final class Events {
    private Events() {
    }

    /** One step of a node: an event, or a choice between alternative sequences of steps. */
    public sealed interface Item permits Event, Fork {
    }

    /** An invocation, constructor call, field access, array store or variable write. */
    public record Event(CtElement element) implements Item {
    }

    /** The arms of a conditional or switch expression: exactly one of them runs. */
    public record Fork(List<List<Item>> arms) implements Item {
    }

    /** The steps of a CFG node, computed once per node. */
    public static List<Item> items(dev.dpccheck.analyzer.cfg.Cfg.Node node) {
        return node.memo("items", () -> items(node.element()));
    }

    /** The steps of {@code root}, in evaluation order. */
    public static List<Item> items(CtElement root) {
        List<Item> out = new ArrayList<>();
        if (root != null) {
            visit(root, out);
        }
        return out;
    }

    private static void add(List<Item> out, CtElement e) {
        out.add(new Event(e));
    }

    private static void visit(CtElement e, List<Item> out) {
        if (e instanceof CtLambda<?> || e instanceof CtType<?>) {
            return;
        }
        if (e instanceof CtNewClass<?> nc) {
            for (CtElement a : nc.getArguments()) {
                visit(a, out);
            }
            add(out, e);
            return;
        }
        if (e instanceof CtAssignment<?, ?> a) {
            visit(a.getAssignment(), out);
            if (a.getAssigned() instanceof CtFieldAccess<?> f) {
                if (f.getTarget() != null) {
                    visit(f.getTarget(), out);
                }
                if (a instanceof CtOperatorAssignment<?, ?>) {
                    add(out, f);
                }
                add(out, f);
            } else if (a.getAssigned() instanceof CtArrayWrite<?> w) {
                visit(w.getTarget(), out);
                visit(w.getIndexExpression(), out);
                add(out, w);
            } else {
                visit(a.getAssigned(), out);
                add(out, a.getAssigned());
            }
            return;
        }
        if (e instanceof CtLocalVariable<?> l) {
            if (l.getDefaultExpression() != null) {
                visit(l.getDefaultExpression(), out);
            }
            add(out, l);
            return;
        }
        if (e instanceof CtConditional<?> c) {
            visit(c.getCondition(), out);
            out.add(new Fork(List.of(items(c.getThenExpression()), items(c.getElseExpression()))));
            return;
        }
        if (e instanceof CtSwitchExpression<?, ?> sw) {
            visit(sw.getSelector(), out);
            List<List<Item>> arms = new ArrayList<>();
            for (spoon.reflect.code.CtCase<?> k : sw.getCases()) {
                List<Item> arm = new ArrayList<>();
                for (CtElement st : k.getStatements()) {
                    visit(st, arm);
                }
                arms.add(arm);
            }
            out.add(new Fork(arms));
            return;
        }
        for (CtElement c : e.getDirectChildren()) {
            visit(c, out);
        }
        if (e instanceof CtAbstractInvocation<?> || e instanceof CtFieldAccess<?>) {
            add(out, e);
        } else if (e instanceof spoon.reflect.code.CtUnaryOperator<?> u && step(u)
                && u.getOperand() instanceof spoon.reflect.code.CtVariableWrite<?> w && !(w instanceof CtFieldAccess<?>)) {
            // i++ writes the variable, as i += 1 does
            add(out, w);
        }
    }

    /** Whether a unary operator is one of ++ and --. */
    private static boolean step(spoon.reflect.code.CtUnaryOperator<?> u) {
        return switch (u.getKind()) {
            case POSTINC, PREINC, POSTDEC, PREDEC -> true;
            default -> false;
        };
    }
}
