package dev.dpccheck.analyzer.driver;

import dev.dpccheck.kernel.IrqlContract;
import dev.dpccheck.wdm.DmaOperations;
import dev.dpccheck.wdm.Wdm;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFieldRead;
import spoon.reflect.code.CtInvocation;
import spoon.reflect.code.CtLiteral;
import spoon.reflect.code.CtUnaryOperator;
import spoon.reflect.code.UnaryOperatorKind;
import spoon.reflect.reference.CtExecutableReference;
import spoon.reflect.reference.CtTypeReference;

/**
 * A call into the WDM API ({@code Wdm} or an adapter's {@code DmaOperations}): the routine's name
 * and its IRQL contract, read from the same annotations the kernel checks at run time.
 */
public final class WdmRoutine {
    private static final Map<String, List<Method>> BY_NAME = new HashMap<>();
    /** One instance per API method: reading a contract's annotations is not free. */
    private static final Map<Method, WdmRoutine> BY_METHOD = new java.util.concurrent.ConcurrentHashMap<>();

    static {
        for (Class<?> c : List.of(Wdm.class, DmaOperations.class)) {
            for (Method m : c.getMethods()) {
                if (m.getDeclaringClass() == c) {
                    BY_NAME.computeIfAbsent(c.getName() + "#" + m.getName(), k -> new java.util.ArrayList<>()).add(m);
                }
            }
        }
    }

    public final String name;
    public final Method method;
    public final IrqlContract contract;

    private WdmRoutine(Method method) {
        this.name = method.getName();
        this.method = method;
        this.contract = IrqlContract.of(method);
    }

    /** The WDM routine {@code call} invokes, or null when it is not a WDM call. */
    public static WdmRoutine of(CtInvocation<?> call) {
        CtExecutableReference<?> ref = call.getExecutable();
        CtTypeReference<?> owner = ref.getDeclaringType();
        if (owner == null) {
            return null;
        }
        List<Method> candidates = BY_NAME.get(owner.getQualifiedName() + "#" + ref.getSimpleName());
        if (candidates == null) {
            return null;
        }
        if (candidates.size() == 1) {
            return BY_METHOD.computeIfAbsent(candidates.get(0), WdmRoutine::new);
        }
        List<CtTypeReference<?>> params = ref.getParameters();
        for (Method m : candidates) {
            if (m.getParameterCount() != params.size()) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < params.size() && match; i++) {
                match = params.get(i).getTypeErasure().getQualifiedName().equals(m.getParameterTypes()[i].getName());
            }
            if (match) {
                return BY_METHOD.computeIfAbsent(m, WdmRoutine::new);
            }
        }
        return BY_METHOD.computeIfAbsent(candidates.get(0), WdmRoutine::new);
    }

    /** The call's arguments as the contract's conditions see them: constants, or {@link IrqlContract#UNKNOWN}. */
    public static Object[] abstractArguments(CtInvocation<?> call) {
        return (Object[]) dev.dpccheck.analyzer.model.Resolve.memo(call.getFactory(), "abstractArguments", call, () -> {
            List<CtExpression<?>> args = call.getArguments();
            WdmRoutine w = of(call);
            boolean conditional = w != null && w.contract.conditional();
            Object[] out = new Object[args.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = constant(args.get(i));
                // only a contract whose limit depends on its arguments asks whether one is zero
                if (conditional && out[i] == IrqlContract.UNKNOWN && nonZero(args.get(i), 0)) {
                    out[i] = IrqlContract.NONZERO;
                }
            }
            return out;
        });
    }

    /**
     * Whether a number is surely not zero: a nonzero constant, its negation, a product of such
     * numbers, {@code x != 0 ? x : 100}, or a local assigned only such a number ({@code
     * -10_000L * interval} where {@code int interval = ms != 0 ? ms : 100}).
     */
    static boolean nonZero(CtExpression<?> e, int depth) {
        if (e == null || depth > 4) {
            return false;
        }
        if (constant(e) instanceof Number n) {
            return n.longValue() != 0;
        }
        if (e instanceof CtUnaryOperator<?> u && u.getKind() == UnaryOperatorKind.NEG) {
            return nonZero(u.getOperand(), depth + 1);
        }
        if (e instanceof spoon.reflect.code.CtBinaryOperator<?> b && b.getKind() == spoon.reflect.code.BinaryOperatorKind.MUL) {
            return nonZero(b.getLeftHandOperand(), depth + 1) && nonZero(b.getRightHandOperand(), depth + 1);
        }
        if (e instanceof spoon.reflect.code.CtConditional<?> c) {
            return (nonZero(c.getThenExpression(), depth + 1) || testedNonZero(c.getCondition(), c.getThenExpression()))
                    && nonZero(c.getElseExpression(), depth + 1);
        }
        if (e instanceof spoon.reflect.code.CtVariableRead<?> v && !(e instanceof CtFieldRead<?>)
                && dev.dpccheck.analyzer.model.Resolve.variable(v.getVariable()) instanceof spoon.reflect.code.CtLocalVariable<?> l) {
            return !dev.dpccheck.analyzer.model.Resolve.localAssigned(l) && nonZero(l.getDefaultExpression(), depth + 1);
        }
        return false;
    }

    /** Whether {@code condition} says {@code value} is not zero: {@code value != 0}, {@code value > 0}, {@code 0 < value}. */
    private static boolean testedNonZero(CtExpression<?> condition, CtExpression<?> value) {
        if (!(condition instanceof spoon.reflect.code.CtBinaryOperator<?> b)) {
            return false;
        }
        String v = value.toString();
        boolean zeroRight = constant(b.getRightHandOperand()) instanceof Number n && n.longValue() == 0;
        boolean zeroLeft = constant(b.getLeftHandOperand()) instanceof Number n && n.longValue() == 0;
        return switch (b.getKind()) {
            case NE -> zeroRight && b.getLeftHandOperand().toString().equals(v)
                    || zeroLeft && b.getRightHandOperand().toString().equals(v);
            case GT -> zeroRight && b.getLeftHandOperand().toString().equals(v);
            case LT -> zeroLeft && b.getRightHandOperand().toString().equals(v);
            default -> false;
        };
    }

    /** The value of a constant expression (literals, negated literals, WDM constants), else UNKNOWN. */
    public static Object constant(CtExpression<?> e) {
        if (e instanceof CtLiteral<?> l) {
            return l.getValue();
        }
        if (e instanceof CtUnaryOperator<?> u && u.getKind() == UnaryOperatorKind.NEG
                && constant(u.getOperand()) instanceof Number n) {
            return n instanceof Long ? (Object) (-n.longValue()) : (Object) (-n.intValue());
        }
        if (e instanceof CtFieldRead<?> f && f.getVariable().getDeclaringType() != null
                && f.getVariable().getDeclaringType().getQualifiedName().equals(Wdm.class.getName())) {
            try {
                return Wdm.class.getField(f.getVariable().getSimpleName()).get(null);
            } catch (ReflectiveOperationException ex) {
                return IrqlContract.UNKNOWN;
            }
        }
        return IrqlContract.UNKNOWN;
    }
    /**
     * The value of an int constant: a literal, a WDM constant ({@code STATUS_PENDING}), or a static
     * final field initialized with one (through others, a few deep); null otherwise.
     */
    public static Integer intConstant(CtExpression<?> e) {
        return intConstant(e, 0);
    }

    private static Integer intConstant(CtExpression<?> e, int depth) {
        if (e == null || depth > 3) {
            return null;
        }
        if (constant(e) instanceof Integer k) {
            return k;
        }
        if (e instanceof CtFieldRead<?> f && f.getVariable().isStatic() && f.getVariable().isFinal()
                && dev.dpccheck.analyzer.model.Resolve.variable(f.getVariable()) != null) {
            return intConstant(dev.dpccheck.analyzer.model.Resolve.variable(f.getVariable()).getDefaultExpression(),
                    depth + 1);
        }
        return null;
    }

    /** {@code a op c} for a comparison operator; null for any other operator. */
    public static Boolean compare(spoon.reflect.code.BinaryOperatorKind op, long a, long c) {
        return switch (op) {
            case LT -> a < c;
            case LE -> a <= c;
            case GT -> a > c;
            case GE -> a >= c;
            case EQ -> a == c;
            case NE -> a != c;
            default -> null;
        };
    }

    /**
     * A comparison of two int constants ({@code DBG_LEVEL >= DBG_TRACE} with both {@code static
     * final}), decided; null for anything else.
     */
    public static Boolean constantComparison(CtExpression<?> e) {
        if (!(e instanceof spoon.reflect.code.CtBinaryOperator<?> b)) {
            return null;
        }
        Integer l = intConstant(b.getLeftHandOperand());
        Integer r = l == null ? null : intConstant(b.getRightHandOperand());
        return r == null ? null : compare(b.getKind(), l, r);
    }
}
