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
 * and assignments to variables (the variable written, or the local variable declared). Bodies of
 * lambdas and anonymous classes are not part of the enclosing node: they run when called.
 * The arms of a conditional or switch expression are included, as if both ran (an
 * over-approximation the engines accept).
 */
public final class Events {
    private Events() {
    }

    /** The events of a CFG node, computed once per node. */
    public static List<CtElement> of(dev.dpccheck.analyzer.cfg.Cfg.Node node) {
        return node.memo("events", () -> of(node.element()));
    }

    /** The events of {@code root}, in evaluation order. */
    public static List<CtElement> of(CtElement root) {
        List<CtElement> out = new ArrayList<>();
        if (root != null) {
            visit(root, out);
        }
        return out;
    }

    private static void visit(CtElement e, List<CtElement> out) {
        if (e instanceof CtLambda<?> || e instanceof CtType<?>) {
            return;
        }
        if (e instanceof CtNewClass<?> nc) {
            for (CtElement a : nc.getArguments()) {
                visit(a, out);
            }
            out.add(e);
            return;
        }
        if (e instanceof CtAssignment<?, ?> a) {
            visit(a.getAssignment(), out);
            if (a.getAssigned() instanceof CtFieldAccess<?> f) {
                if (f.getTarget() != null) {
                    visit(f.getTarget(), out);
                }
                if (a instanceof CtOperatorAssignment<?, ?>) {
                    out.add(f);
                }
                out.add(f);
            } else if (a.getAssigned() instanceof CtArrayWrite<?> w) {
                visit(w.getTarget(), out);
                visit(w.getIndexExpression(), out);
                out.add(w);
            } else {
                visit(a.getAssigned(), out);
                out.add(a.getAssigned());
            }
            return;
        }
        if (e instanceof CtLocalVariable<?> l) {
            if (l.getDefaultExpression() != null) {
                visit(l.getDefaultExpression(), out);
            }
            out.add(l);
            return;
        }
        if (e instanceof CtConditional<?> || e instanceof CtSwitchExpression<?, ?>) {
            for (CtElement c : e.getDirectChildren()) {
                visit(c, out);
            }
            return;
        }
        for (CtElement c : e.getDirectChildren()) {
            visit(c, out);
        }
        if (e instanceof CtAbstractInvocation<?> || e instanceof CtFieldAccess<?>) {
            out.add(e);
        }
    }
}
