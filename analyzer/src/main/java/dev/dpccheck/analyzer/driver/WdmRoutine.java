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
        List<CtExpression<?>> args = call.getArguments();
        Object[] out = new Object[args.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = constant(args.get(i));
        }
        return out;
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
}
