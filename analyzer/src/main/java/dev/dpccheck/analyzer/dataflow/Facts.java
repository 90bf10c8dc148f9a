package dev.dpccheck.analyzer.dataflow;

import dev.dpccheck.analyzer.driver.WdmRoutine;
import dev.dpccheck.kernel.IrqlContract;
import dev.dpccheck.wdm.Wdm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import spoon.reflect.code.CtAssignment;
import spoon.reflect.code.CtBinaryOperator;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFieldRead;
import spoon.reflect.code.CtInvocation;
import spoon.reflect.code.CtLiteral;
import spoon.reflect.code.CtLocalVariable;
import spoon.reflect.code.CtUnaryOperator;
import spoon.reflect.code.CtVariableRead;
import spoon.reflect.code.CtVariableWrite;
import spoon.reflect.declaration.CtElement;
import spoon.reflect.reference.CtLocalVariableReference;
import spoon.reflect.reference.CtParameterReference;
import spoon.reflect.reference.CtVariableReference;
import spoon.reflect.visitor.filter.TypeFilter;

/**
 * Branch correlation for the path-sensitive engines, in the manner of ESP's property simulation:
 * what the branches taken so far say about conditions over local variables and parameters
 * ({@code ok}, {@code status == STATUS_PENDING}, {@code NT_SUCCESS(status)}), so that a path that
 * took {@code if (ok)} one way does not take a later {@code if (ok)} the other way. A fact is
 * forgotten when a variable it reads is assigned; assigning a boolean literal to a local is a fact.
 * Conditions may read fields of the driver's own types reached from locals, parameters or
 * {@code this} ({@code if (ext.UseDma)} twice): such a fact is forgotten when the node writes the
 * field, or calls a driver method or SynchCritSection that may (through anything it calls).
 * Conditions that call anything but pure WDM functions are not tracked.
 */
public final class Facts {
    public static final Facts NONE = new Facts(new TreeMap<>(), new TreeMap<>());

    private static final Tracked UNTRACKED = new Tracked(null, new TreeSet<>());

    /** A condition's key (its text) and the variables it reads. */
    private record Tracked(String key, TreeSet<String> reads) {
    }

    /** The known truth of tracked conditions, by key. Immutable. */
    private final TreeMap<String, Boolean> known;
    /** For each known condition, the variables it reads. Immutable. */
    private final TreeMap<String, TreeSet<String>> reads;

    private Facts(TreeMap<String, Boolean> known, TreeMap<String, TreeSet<String>> reads) {
        this.known = known;
        this.reads = reads;
    }

    /**
     * These facts after the branch of {@code condition} with the given outcome, or null when the
     * facts rule that outcome out (the path is infeasible).
     */
    public Facts assume(CtExpression<?> condition, boolean outcome) {
        if (condition instanceof CtUnaryOperator<?> u && u.getKind() == spoon.reflect.code.UnaryOperatorKind.NOT) {
            return assume(u.getOperand(), !outcome);
        }
        Tracked t = tracked(condition);
        if (t.key == null) {
            return this;
        }
        Boolean was = known.get(t.key);
        if (was != null) {
            return was == outcome ? this : null;
        }
        return with(t.key, outcome, t.reads);
    }

    /** These facts with the local variable {@code local} known to hold {@code value}. */
    public Facts with(String local, boolean value) {
        return with(local, value, new TreeSet<>(List.of(local)));
    }

    /** The truth of {@code condition} as these facts know it, or null. */
    public Boolean value(CtExpression<?> condition) {
        if (known.isEmpty()) {
            return null;
        }
        if (condition instanceof CtUnaryOperator<?> u && u.getKind() == spoon.reflect.code.UnaryOperatorKind.NOT) {
            Boolean v = value(u.getOperand());
            return v == null ? null : !v;
        }
        Tracked t = tracked(condition);
        return t.key == null ? null : known.get(t.key);
    }

    private static final String RETURNED = "\u0000";

    /**
     * What these facts know about conditions over {@code variable} alone, with the variable's name
     * replaced by a placeholder: what a helper that returns the variable tells its caller about
     * the value it returned ({@code NT_SUCCESS(status)} is false on the exits that failed).
     */
    public Map<String, Boolean> about(String variable) {
        Map<String, Boolean> out = new TreeMap<>();
        reads.forEach((key, vars) -> {
            if (vars.size() == 1 && vars.first().equals(variable)) {
                out.put(key.replaceAll("\\b" + java.util.regex.Pattern.quote(variable) + "\\b", RETURNED),
                        known.get(key));
            }
        });
        return out;
    }

    /** These facts with what {@link #about} said of a returned value, now about the local {@code variable} that holds it. */
    public Facts withAbout(Map<String, Boolean> returned, String variable) {
        Facts f = this;
        for (Map.Entry<String, Boolean> e : returned.entrySet()) {
            f = f.with(e.getKey().replace(RETURNED, variable), e.getValue(), new TreeSet<>(List.of(variable)));
        }
        return f;
    }

    private Facts with(String key, boolean value, TreeSet<String> vars) {
        TreeMap<String, Boolean> k = new TreeMap<>(known);
        TreeMap<String, TreeSet<String>> r = new TreeMap<>(reads);
        k.put(key, value);
        r.put(key, vars);
        return new Facts(k, r);
    }

    /** These facts after a CFG node ran. */
    public Facts after(dev.dpccheck.analyzer.cfg.Cfg.Node node) {
        if (node.element() == null || known.isEmpty() && !node.<Boolean>memo("setsBoolean",
                () -> setsBooleanLiteral(node.element()))) {
            return this;
        }
        return after(node.element(), node.memo("assigned", () -> assigned(node.element())));
    }

    private static boolean setsBooleanLiteral(CtElement e) {
        return e instanceof CtLocalVariable<?> l && l.getDefaultExpression() instanceof CtLiteral<?> lit
                && lit.getValue() instanceof Boolean
                || e instanceof CtAssignment<?, ?> a && a.getAssignment() instanceof CtLiteral<?> lit2
                && lit2.getValue() instanceof Boolean;
    }

    /** These facts after the statement or expression {@code e} ran: assignments forget and set facts. */
    public Facts after(CtElement e) {
        if (e == null) {
            return this;
        }
        return after(e, assigned(e));
    }

    private Facts after(CtElement e, List<String> assignedVariables) {
        Facts f = this;
        if (!known.isEmpty()) {
            List<String> assigned = assignedVariables;
            if (!assigned.isEmpty()) {
                TreeMap<String, Boolean> k = new TreeMap<>(known);
                TreeMap<String, TreeSet<String>> r = new TreeMap<>(reads);
                for (Map.Entry<String, TreeSet<String>> x : reads.entrySet()) {
                    for (String v : assigned) {
                        if (x.getValue().contains(v)) {
                            k.remove(x.getKey());
                            r.remove(x.getKey());
                        }
                    }
                }
                f = new Facts(k, r);
            }
        }
        String name = null;
        Object value = null;
        if (e instanceof CtLocalVariable<?> l && l.getDefaultExpression() instanceof CtLiteral<?> lit) {
            name = l.getSimpleName();
            value = lit.getValue();
        } else if (e instanceof CtAssignment<?, ?> a && a.getAssigned() instanceof CtVariableWrite<?> w
                && isLocal(w.getVariable()) && a.getAssignment() instanceof CtLiteral<?> lit) {
            name = w.getVariable().getSimpleName();
            value = lit.getValue();
        }
        if (name != null && value instanceof Boolean b) {
            f = f.with(name, b, new TreeSet<>(List.of(name)));
        }
        return f;
    }

    /** What a variable of a fact is called when it is a field: this prefix and the field's key. */
    private static final String FIELD = "field:";

    /**
     * The local variables and parameters {@code e} assigns, and the driver fields it may write (as
     * {@link #FIELD} and the field's key): its own writes and those of the driver's methods and
     * SynchCritSections it calls.
     */
    private static List<String> assigned(CtElement e) {
        List<String> out = new ArrayList<>();
        if (e instanceof CtLocalVariable<?> l) {
            out.add(l.getSimpleName());
        }
        for (CtVariableWrite<?> w : e.getElements(new TypeFilter<>(CtVariableWrite.class))) {
            if (w instanceof spoon.reflect.code.CtFieldWrite<?> fw) {
                out.add(FIELD + FieldFacts.key(fw.getVariable()));
            } else {
                out.add(w.getVariable().getSimpleName());
            }
        }
        for (CtUnaryOperator<?> u : e.getElements(new TypeFilter<>(CtUnaryOperator.class))) {
            if (u.getOperand() instanceof spoon.reflect.code.CtFieldAccess<?> f) {
                out.add(FIELD + FieldFacts.key(f.getVariable()));
            } else if (u.getOperand() instanceof CtVariableRead<?> r) {
                out.add(r.getVariable().getSimpleName());
            }
        }
        for (CtInvocation<?> call : e.getElements(new TypeFilter<>(CtInvocation.class))) {
            spoon.reflect.declaration.CtExecutable<?> callee = null;
            if (WdmRoutine.of(call) != null) {
                if (call.getExecutable().getSimpleName().equals("KeSynchronizeExecution") && call.getArguments().size() == 3) {
                    callee = dev.dpccheck.analyzer.driver.DriverModel.target(call.getArguments().get(1));
                }
            } else {
                callee = dev.dpccheck.analyzer.model.Resolve.declaration(call.getExecutable());
                if (!dev.dpccheck.analyzer.driver.DriverModel.fromSource(callee)) {
                    callee = null;
                }
            }
            if (callee != null) {
                for (String f : FieldFacts.writtenFrom(callee)) {
                    out.add(FIELD + f);
                }
            }
        }
        return out;
    }

    /** The facts both know alike: what still holds where paths with these facts and {@code other}'s meet. */
    public Facts meet(Facts other) {
        TreeMap<String, Boolean> k = new TreeMap<>();
        TreeMap<String, TreeSet<String>> r = new TreeMap<>();
        known.forEach((key, v) -> {
            if (v.equals(other.known.get(key))) {
                k.put(key, v);
                r.put(key, reads.get(key));
            }
        });
        return new Facts(k, r);
    }

    private static Tracked tracked(CtExpression<?> condition) {
        return (Tracked) dev.dpccheck.analyzer.model.Resolve.memo(condition.getFactory(), "tracked", condition, () -> {
            TreeSet<String> vars = new TreeSet<>();
            if (!pure(condition, vars) || vars.isEmpty()
                    || vars.stream().anyMatch(v -> v.startsWith(FIELD)) && !flag(condition)) {
                return UNTRACKED;
            }
            return new Tracked(condition.toString().replaceAll("\\s+", " "), vars);
        });
    }

    /**
     * Whether a condition over a field reads like a flag: the field itself ({@code ext.UseDma}),
     * or the field compared for equality with null or a constant ({@code ext.State == IDLE}).
     * Counters and masks ({@code ext.Done < ext.Total}) change on every turn of a loop; tracking
     * them would multiply the paths and tell little.
     */
    private static boolean flag(CtExpression<?> condition) {
        if (condition instanceof CtFieldRead<?>) {
            return true;
        }
        if (condition instanceof CtBinaryOperator<?> b && (b.getKind() == spoon.reflect.code.BinaryOperatorKind.EQ
                || b.getKind() == spoon.reflect.code.BinaryOperatorKind.NE)) {
            return b.getLeftHandOperand() instanceof CtFieldRead<?> && constant(b.getRightHandOperand())
                    || b.getRightHandOperand() instanceof CtFieldRead<?> && constant(b.getLeftHandOperand());
        }
        return false;
    }

    private static boolean constant(CtExpression<?> e) {
        return e instanceof CtLiteral<?> || e instanceof CtFieldRead<?> f && (WdmRoutine.constant(f) != IrqlContract.UNKNOWN
                || f.getVariable().isStatic() && f.getVariable().isFinal());
    }

    /** Whether the expression reads only locals, parameters, constants and pure WDM functions. */
    private static boolean pure(CtExpression<?> e, TreeSet<String> vars) {
        if (e instanceof CtLiteral<?>) {
            return true;
        }
        if (e instanceof CtFieldRead<?> f) {
            // a constant such as STATUS_PENDING
            if (WdmRoutine.constant(f) != IrqlContract.UNKNOWN) {
                return true;
            }
            // a driver field reached from locals, parameters or this: the fact lasts until the field is written
            if (FieldFacts.driverField(f.getVariable()) && (f.getTarget() == null
                    || f.getTarget() instanceof spoon.reflect.code.CtThisAccess<?>
                    || f.getTarget() instanceof spoon.reflect.code.CtTypeAccess<?> || pure(f.getTarget(), vars))) {
                vars.add(FIELD + FieldFacts.key(f.getVariable()));
                return true;
            }
            return false;
        }
        if (e instanceof CtVariableRead<?> r) {
            if (!isLocal(r.getVariable())) {
                return false;
            }
            vars.add(r.getVariable().getSimpleName());
            return true;
        }
        if (e instanceof CtUnaryOperator<?> u) {
            return pure(u.getOperand(), vars);
        }
        if (e instanceof CtBinaryOperator<?> b) {
            return pure(b.getLeftHandOperand(), vars) && pure(b.getRightHandOperand(), vars);
        }
        if (e instanceof CtInvocation<?> i && i.getExecutable().getDeclaringType() != null
                && i.getExecutable().getDeclaringType().getQualifiedName().equals(Wdm.class.getName())
                && i.getExecutable().getSimpleName().equals("NT_SUCCESS")) {
            for (CtExpression<?> a : i.getArguments()) {
                if (!pure(a, vars)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean isLocal(CtVariableReference<?> v) {
        return v instanceof CtLocalVariableReference<?> || v instanceof CtParameterReference<?>;
    }

    /** How many conditions these facts know: what comparing or copying them costs. */
    public int size() {
        return known.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Facts f && f.known.equals(known);
    }

    @Override
    public int hashCode() {
        return known.hashCode();
    }

    @Override
    public String toString() {
        return known.toString();
    }
}
