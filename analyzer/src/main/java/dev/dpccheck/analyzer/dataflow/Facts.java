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

    /**
     * A condition's key and the variables it reads; {@code negated} when the key is that of the
     * opposite condition ({@code ext.Irp != null} is kept as {@code {Irp} == null}, false).
     */
    private record Tracked(String key, TreeSet<String> reads, boolean negated) {
        Tracked(String key, TreeSet<String> reads) {
            this(key, reads, false);
        }
    }

    /** The known truth of tracked conditions, by key. Immutable. */
    private final TreeMap<String, Boolean> known;
    private int hash;
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
        Boolean compared = compared(condition);
        if (compared != null) {
            return compared == outcome ? this : null;
        }
        String allFalse = outcome && !known.isEmpty() ? allFalse(condition) : null;
        if (allFalse != null && Boolean.TRUE.equals(known.get(allFalse))) {
            // an element of a new boolean array nothing has stored into yet is false
            return null;
        }
        Tracked t = tracked(condition);
        if (t.key == null) {
            return this;
        }
        boolean holds = outcome != t.negated;
        Boolean was = known.get(t.key);
        if (was != null) {
            return was == holds ? this : null;
        }
        return with(t.key, holds, t.reads);
    }

    /**
     * For {@code flags[i]}, an element of a local array: the key of the fact that every element of
     * the array is false (a {@code new boolean[n]} nothing has stored into since); else null.
     */
    private static String allFalse(CtExpression<?> condition) {
        return condition instanceof spoon.reflect.code.CtArrayRead<?> a
                && a.getTarget() instanceof CtVariableRead<?> v && !(v instanceof CtFieldRead<?>)
                && isLocal(v.getVariable()) ? allFalse(v.getVariable().getSimpleName()) : null;
    }

    private static String allFalse(String array) {
        return array + "[] all false";
    }

    /** Whether a local is declared with a new boolean array of default elements ({@code new boolean[n]}). */
    private static boolean freshBooleans(CtElement e) {
        return e instanceof CtLocalVariable<?> l && l.getDefaultExpression() instanceof spoon.reflect.code.CtNewArray<?> n
                && n.getElements().isEmpty() && l.getType() != null && l.getType().getSimpleName().equals("boolean[]");
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
        Boolean compared = compared(condition);
        if (compared != null) {
            return compared;
        }
        Tracked t = tracked(condition);
        Boolean v = t.key == null ? null : known.get(t.key);
        return v == null ? null : v != t.negated;
    }

    /**
     * A comparison of an int local whose value these facts know exactly ({@code attempt == 0},
     * from {@code int attempt = 0}) with an int constant, decided; null otherwise. What makes the
     * first test of {@code for (int i = 0; i < 3; i++)} true.
     */
    private Boolean compared(CtExpression<?> condition) {
        if (known.isEmpty()) {
            return null;
        }
        if (condition instanceof spoon.reflect.code.CtInvocation<?> i && i.getArguments().size() == 1
                && i.getExecutable().getSimpleName().equals("NT_SUCCESS") && i.getExecutable().getDeclaringType() != null
                && i.getExecutable().getDeclaringType().getQualifiedName().equals(Wdm.class.getName())
                && i.getArguments().get(0) instanceof CtVariableRead<?> v && isLocal(v.getVariable())) {
            // success and informational codes are the non-negative ones
            Long x = exact(v.getVariable().getSimpleName());
            return x == null ? null : (int) (long) x >= 0;
        }
        if (!(condition instanceof CtBinaryOperator<?> b)) {
            return null;
        }
        boolean localLeft = b.getLeftHandOperand() instanceof CtVariableRead<?> l && isLocal(l.getVariable());
        CtExpression<?> var = localLeft ? b.getLeftHandOperand() : b.getRightHandOperand();
        CtExpression<?> other = localLeft ? b.getRightHandOperand() : b.getLeftHandOperand();
        if (!(var instanceof CtVariableRead<?> v) || !isLocal(v.getVariable())) {
            return null;
        }
        Long x = exact(v.getVariable().getSimpleName());
        Integer k = x == null ? null : WdmRoutine.intConstant(other);
        if (k == null) {
            return null;
        }
        return WdmRoutine.compare(b.getKind(), localLeft ? x : k, localLeft ? k : x);
    }

    /** The value of an int local these facts know exactly, or null. */
    private Long exact(String local) {
        String prefix = local + " == ";
        for (Map.Entry<String, Boolean> e : known.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            if (e.getValue()) {
                try {
                    return Long.parseLong(e.getKey().substring(prefix.length()));
                } catch (NumberFormatException notANumber) {
                    return null;
                }
            }
        }
        return null;
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

    /** What {@link #about} would say of a returned int constant: its exact value; empty for anything else. */
    static Map<String, Boolean> aboutConstant(CtExpression<?> e) {
        Integer k = WdmRoutine.intConstant(e);
        return k == null ? Map.of() : Map.of(RETURNED + " == " + k, true);
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
                () -> setsBooleanLiteral(node.element()) || localFact(node.element()).key != null
                        || freshBooleans(node.element()))) {
            return this;
        }
        return after(node.element(), node.memo("assigned", () -> assigned(node.element())),
                node.memo("localFact", () -> localFact(node.element())));
    }

    /** A fact a statement makes hold about a local: its key and truth ({@code ok}, {@code status == 259}). */
    private record LocalFact(String key, String local, boolean value) {
    }

    private static final LocalFact NO_FACT = new LocalFact(null, null, false);

    /**
     * What {@code e} makes known of a local: {@code ok = true} that {@code ok} holds, {@code status =
     * STATUS_PENDING} that {@code status == 259}, for an int that something compares; else {@link #NO_FACT}.
     */
    private static LocalFact localFact(CtElement e) {
        String name = null;
        Object value = null;
        spoon.reflect.declaration.CtVariable<?> declared = null;
        if (e instanceof CtLocalVariable<?> l && l.getDefaultExpression() != null) {
            name = l.getSimpleName();
            value = literalOrConstant(l.getDefaultExpression());
            declared = l;
        } else if (e instanceof CtAssignment<?, ?> a && !(a instanceof spoon.reflect.code.CtOperatorAssignment<?, ?>)
                && a.getAssigned() instanceof CtVariableWrite<?> w && isLocal(w.getVariable())) {
            // 'x = 1' and 'status = STATUS_PENDING' are facts, 'x += 1' is not
            name = w.getVariable().getSimpleName();
            value = literalOrConstant(a.getAssignment());
            declared = dev.dpccheck.analyzer.model.Resolve.variable(w.getVariable());
        }
        if (value instanceof Boolean b) {
            return new LocalFact(name, name, b);
        }
        // a value nothing compares decides no branch: knowing it would only keep paths apart
        return value instanceof Integer k && compared(declared) ? new LocalFact(name + " == " + k, name, true) : NO_FACT;
    }

    /**
     * Whether an int variable is compared with something ({@code x == K}, {@code i < n}) or tested
     * with {@code NT_SUCCESS} anywhere in its scope; computed once per variable.
     */
    private static boolean compared(spoon.reflect.declaration.CtVariable<?> v) {
        if (v == null) {
            return false;
        }
        return (Boolean) dev.dpccheck.analyzer.model.Resolve.memo(v.getFactory(), "comparedInt", v, () -> {
            spoon.reflect.declaration.CtExecutable<?> scope = v.getParent(spoon.reflect.declaration.CtExecutable.class);
            if (scope == null || scope.getBody() == null) {
                return false;
            }
            // by name: a shadowing local of the same name only makes more facts known
            for (CtVariableRead<?> r : dev.dpccheck.analyzer.model.Resolve.elements(scope, CtVariableRead.class)) {
                if (!r.getVariable().getSimpleName().equals(v.getSimpleName())) {
                    continue;
                }
                CtElement p = r.getParent();
                if (p instanceof CtBinaryOperator<?> b && WdmRoutine.compare(b.getKind(), 0, 0) != null
                        || p instanceof CtInvocation<?> i && i.getExecutable().getSimpleName().equals("NT_SUCCESS")) {
                    return true;
                }
            }
            return false;
        });
    }

    /** A boolean literal, or the value of an int constant ({@link WdmRoutine#intConstant}); null otherwise. */
    private static Object literalOrConstant(CtExpression<?> e) {
        return e instanceof CtLiteral<?> lit && lit.getValue() instanceof Boolean b ? b : WdmRoutine.intConstant(e);
    }

    private static boolean setsBooleanLiteral(CtElement e) {
        return e instanceof CtLocalVariable<?> l && !allocated(l).isEmpty()
                || e instanceof CtAssignment<?, ?> a && !(a instanceof spoon.reflect.code.CtOperatorAssignment<?, ?>)
                && a.getAssignment() instanceof CtLiteral<?> lit && (lit.getValue() instanceof Boolean
                || lit.getValue() == null);
    }

    /**
     * For a local initialized with a new object of one of the driver's own classes, the boolean
     * fields the object starts with (by key) and their values ({@code false}, or a literal initializer):
     * a context object a SynchCritSection fills in starts with its flags down.
     */
    private static Map<String, Boolean> allocated(CtLocalVariable<?> l) {
        if (!(l.getDefaultExpression() instanceof spoon.reflect.code.CtConstructorCall<?> n)) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        Map<String, Boolean> out = (Map<String, Boolean>) dev.dpccheck.analyzer.model.Resolve.memo(l.getFactory(),
                "allocatedFlags", n, () -> {
                    Map<String, Boolean> flags = new TreeMap<>();
                    spoon.reflect.declaration.CtType<?> t = dev.dpccheck.analyzer.model.Resolve.type(n.getType());
                    if (t == null || !t.getPosition().isValidPosition()) {
                        return flags;
                    }
                    for (spoon.reflect.declaration.CtField<?> f : t.getFields()) {
                        if (f.isStatic() || f.getType() == null || !f.getType().getSimpleName().equals("boolean")) {
                            continue;
                        }
                        CtExpression<?> init = f.getDefaultExpression();
                        if (init == null) {
                            flags.put(FieldFacts.key(f.getReference()), false);
                        } else if (init instanceof CtLiteral<?> lit && lit.getValue() instanceof Boolean b) {
                            flags.put(FieldFacts.key(f.getReference()), b);
                        }
                    }
                    return flags;
                });
        return out;
    }

    /** These facts after the statement or expression {@code e} ran: assignments forget and set facts. */
    public Facts after(CtElement e) {
        if (e == null) {
            return this;
        }
        return after(e, assigned(e), localFact(e));
    }

    private Facts after(CtElement e, List<String> assignedVariables, LocalFact local) {
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
        if (local.key != null) {
            f = f.with(local.key, local.value, new TreeSet<>(List.of(local.local)));
        }
        // a literal written to a driver field: the field's flag is known until the next write
        if (e instanceof CtAssignment<?, ?> a && !(a instanceof spoon.reflect.code.CtOperatorAssignment<?, ?>)
                && a.getAssigned() instanceof spoon.reflect.code.CtFieldWrite<?> w
                && FieldFacts.driverField(w.getVariable()) && a.getAssignment() instanceof CtLiteral<?> lit) {
            String field = FieldFacts.key(w.getVariable());
            if (lit.getValue() instanceof Boolean b) {
                f = f.with(fieldKey(field), b, new TreeSet<>(List.of(FIELD + field)));
            } else if (lit.getValue() == null) {
                f = f.with(fieldKey(field) + " == null", true, new TreeSet<>(List.of(FIELD + field)));
            }
        }
        if (e instanceof CtLocalVariable<?> l) {
            for (Map.Entry<String, Boolean> flag : allocated(l).entrySet()) {
                f = f.with(fieldKey(flag.getKey()), flag.getValue(), new TreeSet<>(List.of(FIELD + flag.getKey())));
            }
            if (freshBooleans(l)) {
                // until something stores into it ({@link #assigned}: name[]) or the local is assigned again
                f = f.with(allFalse(l.getSimpleName()), true,
                        new TreeSet<>(List.of(l.getSimpleName(), l.getSimpleName() + "[]")));
            }
        }
        return f;
    }

    /** The facts about fields alone: what a callee's exit tells its caller of the objects it reached. */
    public Facts fieldsOnly() {
        return keeping(v -> v.startsWith(FIELD));
    }

    /**
     * These facts with, for each boolean parameter of {@code callee} whose argument is known (a
     * literal, or a condition {@code known} decides), the parameter's value: what a helper that
     * branches on a flag argument starts with at one call.
     */
    public Facts withArguments(spoon.reflect.declaration.CtExecutable<?> callee, List<CtExpression<?>> args, Facts known) {
        Facts f = this;
        for (int i = 0; i < callee.getParameters().size() && i < args.size(); i++) {
            spoon.reflect.declaration.CtParameter<?> p = callee.getParameters().get(i);
            if (p.getType() != null && p.getType().getSimpleName().equals("boolean")) {
                Boolean v = args.get(i) instanceof CtLiteral<?> l && l.getValue() instanceof Boolean b ? b : known.value(args.get(i));
                if (v != null) {
                    f = f.with(p.getSimpleName(), v);
                }
            }
        }
        return f;
    }

    /** These facts without any on fields. */
    public Facts withoutFields() {
        return keeping(v -> !v.startsWith(FIELD));
    }

    /** The facts on fields alone, and only on the fields in {@code fields} (keys): what a callee that touches them may use. */
    public Facts fieldsOnly(java.util.Set<String> fields) {
        return keeping(v -> v.startsWith(FIELD) && fields.contains(v.substring(FIELD.length())));
    }

    /** The facts every variable of which passes {@code variable}. */
    private Facts keeping(java.util.function.Predicate<String> variable) {
        TreeMap<String, Boolean> k = new TreeMap<>();
        TreeMap<String, TreeSet<String>> r = new TreeMap<>();
        reads.forEach((key, vars) -> {
            if (vars.stream().allMatch(variable)) {
                k.put(key, known.get(key));
                r.put(key, vars);
            }
        });
        return k.size() == known.size() ? this : k.isEmpty() ? NONE : new Facts(k, r);
    }

    /** These facts without those on fields that {@code node} writes itself (not through the methods it calls). */
    public Facts withoutFieldsWrittenBy(CtElement node) {
        if (known.isEmpty() || node == null) {
            return this;
        }
        @SuppressWarnings("unchecked")
        TreeSet<String> written = (TreeSet<String>) dev.dpccheck.analyzer.model.Resolve.memo(node.getFactory(),
                "fieldsWrittenByNode", node, () -> {
                    TreeSet<String> w = new TreeSet<>();
                    for (spoon.reflect.code.CtFieldWrite<?> x : dev.dpccheck.analyzer.model.Resolve.elements(node, spoon.reflect.code.CtFieldWrite.class)) {
                        w.add(FIELD + FieldFacts.key(x.getVariable()));
                    }
                    for (CtUnaryOperator<?> u : dev.dpccheck.analyzer.model.Resolve.elements(node, CtUnaryOperator.class)) {
                        if (u.getOperand() instanceof spoon.reflect.code.CtFieldAccess<?> fa) {
                            w.add(FIELD + FieldFacts.key(fa.getVariable()));
                        }
                    }
                    return w;
                });
        if (written.isEmpty()) {
            return this;
        }
        TreeMap<String, Boolean> k = new TreeMap<>(known);
        TreeMap<String, TreeSet<String>> r = new TreeMap<>(reads);
        reads.forEach((key, vars) -> {
            if (vars.stream().anyMatch(written::contains)) {
                k.remove(key);
                r.remove(key);
            }
        });
        return new Facts(k, r);
    }

    /** These facts with {@code other}'s added, {@code other}'s winning where both know a condition. */
    public Facts plus(Facts other) {
        if (other.known.isEmpty()) {
            return this;
        }
        TreeMap<String, Boolean> k = new TreeMap<>(known);
        TreeMap<String, TreeSet<String>> r = new TreeMap<>(reads);
        k.putAll(other.known);
        r.putAll(other.reads);
        return new Facts(k, r);
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
        for (CtVariableWrite<?> w : dev.dpccheck.analyzer.model.Resolve.elements(e, CtVariableWrite.class)) {
            if (w instanceof spoon.reflect.code.CtFieldWrite<?> fw) {
                out.add(FIELD + FieldFacts.key(fw.getVariable()));
            } else {
                out.add(w.getVariable().getSimpleName());
            }
        }
        for (spoon.reflect.code.CtArrayWrite<?> w : dev.dpccheck.analyzer.model.Resolve.elements(e,
                spoon.reflect.code.CtArrayWrite.class)) {
            // a store into an element of a local array: name[] stands for its elements
            if (w.getTarget() instanceof CtVariableRead<?> a && !(a instanceof CtFieldRead<?>)) {
                out.add(a.getVariable().getSimpleName() + "[]");
            }
        }
        for (CtUnaryOperator<?> u : dev.dpccheck.analyzer.model.Resolve.elements(e, CtUnaryOperator.class)) {
            if (u.getOperand() instanceof spoon.reflect.code.CtFieldAccess<?> f) {
                out.add(FIELD + FieldFacts.key(f.getVariable()));
            } else if (u.getOperand() instanceof CtVariableRead<?> r) {
                out.add(r.getVariable().getSimpleName());
            }
        }
        for (CtInvocation<?> call : dev.dpccheck.analyzer.model.Resolve.elements(e, CtInvocation.class)) {
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
            // an array handed to a call may have its elements stored into there
            for (CtExpression<?> arg : call.getArguments()) {
                if (arg instanceof CtVariableRead<?> a && !(a instanceof CtFieldRead<?>) && a.getType() != null
                        && a.getType().isArray()) {
                    out.add(a.getVariable().getSimpleName() + "[]");
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
            if (!pure(condition, vars) || vars.isEmpty()) {
                return UNTRACKED;
            }
            if (vars.stream().anyMatch(v -> v.startsWith(FIELD))) {
                return flag(condition) ? fieldFlag(condition, vars) : UNTRACKED;
            }
            return new Tracked(condition.toString().replaceAll("\\s+", " "), vars);
        });
    }

    /**
     * A flag condition over a field, keyed by the field's declaration rather than the expression
     * that reached it ({@code ext.Busy} and {@code fdo.Busy} are one fact; what a SynchCritSection
     * wrote through its context parameter is known to its caller): {@code {K}}, or {@code {K} ==
     * c} for comparisons, with {@code !=} kept as the negation of {@code ==}. Like the kills, this is
     * insensitive to which object holds the field.
     */
    private static Tracked fieldFlag(CtExpression<?> condition, TreeSet<String> vars) {
        if (condition instanceof CtFieldRead<?> f) {
            return new Tracked(fieldKey(f), vars);
        }
        CtBinaryOperator<?> b = (CtBinaryOperator<?>) condition;
        boolean left = b.getLeftHandOperand() instanceof CtFieldRead<?>;
        CtFieldRead<?> f = (CtFieldRead<?>) (left ? b.getLeftHandOperand() : b.getRightHandOperand());
        CtExpression<?> c = left ? b.getRightHandOperand() : b.getLeftHandOperand();
        return new Tracked(fieldKey(f) + " == " + c.toString().replaceAll("\\s+", " "), vars,
                b.getKind() == spoon.reflect.code.BinaryOperatorKind.NE);
    }

    private static String fieldKey(CtFieldRead<?> f) {
        return fieldKey(FieldFacts.key(f.getVariable()));
    }

    /** The key of the flag condition that is a field itself: {@code {K}}. */
    private static String fieldKey(String field) {
        return "{" + field + "}";
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
        // the facts never change once made: their hash is taken once
        int h = hash;
        if (h == 0) {
            h = known.hashCode() | 1;
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return known.toString();
    }
}
