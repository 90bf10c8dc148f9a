package dev.dpccheck.kernel;

import dev.dpccheck.wdm.IrqlRequires;
import dev.dpccheck.wdm.IrqlRequiresMax;
import dev.dpccheck.wdm.IrqlRequiresMaxWhen;
import dev.dpccheck.wdm.IrqlRequiresMin;
import dev.dpccheck.wdm.Pageable;
import dev.dpccheck.wdm.Wdm;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * The IRQL contract of one routine, read from its annotations ({@link IrqlRequires},
 * {@link IrqlRequiresMax}, {@link IrqlRequiresMin}, {@link IrqlRequiresMaxWhen},
 * {@link Pageable}): the same annotations the analyzer reads, never a table of its own.
 */
public final class IrqlContract {
    /** The contract of a routine that declares none. */
    public static final IrqlContract NONE = new IrqlContract(Wdm.PASSIVE_LEVEL, Wdm.HIGH_LEVEL, List.of(), false);

    final int min;
    final int max;
    final List<Conditional> conditionals;
    final boolean pageable;

    /** An argument whose value is not known (static analysis): no conditional holds for it. */
    public static final Object UNKNOWN = new Object();

    /** An argument whose value is not known but is known not to be zero (static analysis). */
    public static final Object NONZERO = new Object();

    record Conditional(int max, int parameterIndex, String parameter, IrqlRequiresMaxWhen.Condition when,
            long operand) {
        boolean holds(Object[] args) {
            Object v = args == null ? null : args[parameterIndex];
            switch (when) {
                case TRUE:
                    return Boolean.TRUE.equals(v);
                case EQUALS:
                    return v instanceof Number n && n.longValue() == operand;
                case NULL_OR_NONZERO:
                    return v == null || v == NONZERO || (v instanceof Number n && n.longValue() != 0);
                default:
                    return false;
            }
        }

        String describe() {
            switch (when) {
                case TRUE:
                    return "with " + parameter + " TRUE";
                case EQUALS:
                    return "with " + parameter + " " + operand;
                default:
                    return parameter.equals("Timeout") ? "with a non-zero or no timeout" : "with " + parameter + " set";
            }
        }
    }

    private IrqlContract(int min, int max, List<Conditional> conditionals, boolean pageable) {
        this.min = min;
        this.max = max;
        this.conditionals = conditionals;
        this.pageable = pageable;
    }

    /** The contract declared on {@code m} (and, for pageability, on its class). */
    public static IrqlContract of(Method m) {
        int min = Wdm.PASSIVE_LEVEL;
        int max = Wdm.HIGH_LEVEL;
        IrqlRequires exact = m.getAnnotation(IrqlRequires.class);
        if (exact != null) {
            min = exact.value();
            max = exact.value();
        }
        IrqlRequiresMax mx = m.getAnnotation(IrqlRequiresMax.class);
        if (mx != null) {
            max = Math.min(max, mx.value());
        }
        IrqlRequiresMin mn = m.getAnnotation(IrqlRequiresMin.class);
        if (mn != null) {
            min = Math.max(min, mn.value());
        }
        List<Conditional> conds = new ArrayList<>();
        Parameter[] params = m.getParameters();
        for (IrqlRequiresMaxWhen w : m.getAnnotationsByType(IrqlRequiresMaxWhen.class)) {
            int index = -1;
            for (int i = 0; i < params.length; i++) {
                if (params[i].getName().equals(w.param())) {
                    index = i;
                }
            }
            if (index < 0) {
                throw new IllegalStateException(m + " has no parameter " + w.param());
            }
            conds.add(new Conditional(w.value(), index, w.param(), w.when(), w.operand()));
        }
        boolean pageable = m.isAnnotationPresent(Pageable.class)
                || m.getDeclaringClass().isAnnotationPresent(Pageable.class);
        if (exact == null && mx == null && mn == null && conds.isEmpty() && !pageable) {
            return NONE;
        }
        return new IrqlContract(min, max, List.copyOf(conds), pageable);
    }

    public boolean declared() {
        return this != NONE;
    }

    /** The lowest IRQL allowed. */
    public int min() {
        return min;
    }

    /** The highest IRQL allowed whatever the arguments. */
    public int max() {
        return max;
    }

    /** Whether the highest IRQL allowed depends on the arguments. */
    public boolean conditional() {
        return !conditionals.isEmpty();
    }

    /** Whether the routine is pageable (not callable above APC_LEVEL). */
    public boolean pageable() {
        return pageable;
    }

    /** The highest IRQL allowed for these arguments ({@link #UNKNOWN} for an argument not known). */
    public int maxFor(Object[] args) {
        int limit = pageable ? Math.min(max, Wdm.APC_LEVEL) : max;
        for (Conditional c : conditionals) {
            if (c.holds(args)) {
                limit = Math.min(limit, c.max);
            }
        }
        return limit;
    }

    /** Why {@link #maxFor} is what it is, for messages: the condition that lowered it, if any. */
    public String maxReason(Object[] args) {
        for (Conditional c : conditionals) {
            if (c.holds(args) && c.max < max) {
                return " " + c.describe();
            }
        }
        return "";
    }

    /** The WDK name of an IRQL, e.g. {@code DISPATCH_LEVEL}. */
    public static String irqlName(int irql) {
        return dev.dpccheck.kernel.verifier.Irql.name(irql);
    }
}
