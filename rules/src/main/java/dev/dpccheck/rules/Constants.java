package dev.dpccheck.rules;

import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.WdmRoutine;
import dev.dpccheck.kernel.IrqlContract;
import java.util.ArrayList;
import java.util.List;
import spoon.reflect.code.CtAssignment;
import spoon.reflect.code.CtBinaryOperator;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFieldRead;
import spoon.reflect.code.CtInvocation;
import spoon.reflect.code.CtLiteral;
import spoon.reflect.code.CtLocalVariable;
import spoon.reflect.code.CtReturn;
import spoon.reflect.code.CtUnaryOperator;
import spoon.reflect.code.CtVariableRead;
import spoon.reflect.code.CtVariableWrite;
import spoon.reflect.declaration.CtExecutable;
import spoon.reflect.declaration.CtMethod;
import spoon.reflect.visitor.filter.TypeFilter;

/**
 * The value of an integral expression where it is one constant: a literal, a WDM constant, a
 * static final field of the driver's with a constant initializer ({@code STATUS_CONTINUE_COMPLETION
 * = STATUS_SUCCESS}), arithmetic over those, a local initialized with one and never assigned, or a
 * helper of the driver's whose every return is the same constant ({@code StreamPoolType()}).
 */
final class Constants {
    private Constants() {
    }

    /** The value, or null when it is not one known constant. */
    static Long value(CtExpression<?> e) {
        return value(e, 0);
    }

    private static Long value(CtExpression<?> e, int depth) {
        if (e == null || depth > 8) {
            return null;
        }
        Object wdm = WdmRoutine.constant(e);
        if (wdm != IrqlContract.UNKNOWN) {
            return wdm instanceof Number n && !(n instanceof Double || n instanceof Float) ? (Long) n.longValue()
                    : wdm instanceof Character ch ? (Long) (long) ch : null;
        }
        if (e instanceof CtLiteral<?>) {
            return null;
        }
        if (e instanceof CtFieldRead<?> f) {
            return f.getVariable().isStatic() && f.getVariable().isFinal() && dev.dpccheck.analyzer.spi.Analysis.variable(f.getVariable()) != null
                    ? value(dev.dpccheck.analyzer.spi.Analysis.variable(f.getVariable()).getDefaultExpression(), depth + 1) : null;
        }
        if (e instanceof CtUnaryOperator<?> u) {
            Long v = value(u.getOperand(), depth + 1);
            return v == null ? null : switch (u.getKind()) {
                case NEG -> -v;
                case POS -> v;
                case COMPL -> ~v;
                default -> null;
            };
        }
        if (e instanceof CtBinaryOperator<?> b) {
            Long x = value(b.getLeftHandOperand(), depth + 1);
            Long y = x == null ? null : value(b.getRightHandOperand(), depth + 1);
            if (y == null) {
                return null;
            }
            return switch (b.getKind()) {
                case PLUS -> x + y;
                case MINUS -> x - y;
                case MUL -> x * y;
                case BITOR -> x | y;
                case BITAND -> x & y;
                case BITXOR -> x ^ y;
                case SL -> x << y;
                case SR -> x >> y;
                case USR -> x >>> y;
                default -> null;
            };
        }
        if (e instanceof CtVariableRead<?> r && dev.dpccheck.analyzer.spi.Analysis.variable(r.getVariable()) instanceof CtLocalVariable<?> l) {
            List<CtExpression<?>> values = assignments(l);
            return values.size() == 1 ? value(values.get(0), depth + 1) : null;
        }
        if (e instanceof CtInvocation<?> call && dev.dpccheck.analyzer.spi.Analysis.declaration(call.getExecutable()) instanceof CtMethod<?> m
                && DriverModel.fromSource(m)) {
            Long same = null;
            for (CtReturn<?> ret : dev.dpccheck.analyzer.spi.Analysis.elementsIn(m.getBody(), CtReturn.class)) {
                Long v = ret.getParent(CtExecutable.class) != m ? same : value(ret.getReturnedExpression(), depth + 1);
                if (v == null || same != null && !same.equals(v)) {
                    return null;
                }
                same = v;
            }
            return same;
        }
        return null;
    }

    /** What a local variable is initialized and assigned with, in its method. */
    static List<CtExpression<?>> assignments(CtLocalVariable<?> l) {
        List<CtExpression<?>> out = new ArrayList<>();
        if (l.getDefaultExpression() != null) {
            out.add(l.getDefaultExpression());
        }
        CtExecutable<?> m = l.getParent(CtExecutable.class);
        if (m != null) {
            for (CtAssignment<?, ?> a : dev.dpccheck.analyzer.spi.Analysis.elementsIn(m, CtAssignment.class)) {
                if (a.getAssigned() instanceof CtVariableWrite<?> w && l.getReference().equals(w.getVariable())) {
                    // a compound assignment (+=) leaves no single value: it stands for itself
                    out.add(a instanceof spoon.reflect.code.CtOperatorAssignment<?, ?> ? a : a.getAssignment());
                }
            }
            for (CtUnaryOperator<?> u : dev.dpccheck.analyzer.spi.Analysis.elementsIn(m, CtUnaryOperator.class)) {
                if (u.getOperand() instanceof CtVariableWrite<?> w && l.getReference().equals(w.getVariable())) {
                    out.add(u);
                }
            }
        }
        return out;
    }
}
