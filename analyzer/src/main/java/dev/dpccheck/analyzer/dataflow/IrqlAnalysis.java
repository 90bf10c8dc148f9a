package dev.dpccheck.analyzer.dataflow;

import dev.dpccheck.analyzer.cfg.Cfg.Node;
import dev.dpccheck.analyzer.cfg.Cfg;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.driver.WdmRoutine;
import dev.dpccheck.analyzer.model.Resolve;
import dev.dpccheck.kernel.IrqlContract;
import dev.dpccheck.wdm.IrqlRaises;
import dev.dpccheck.wdm.IrqlRequires;
import dev.dpccheck.wdm.IrqlRequiresMax;
import dev.dpccheck.wdm.IrqlRequiresMin;
import dev.dpccheck.wdm.IrqlRestores;
import dev.dpccheck.wdm.IrqlSaves;
import dev.dpccheck.wdm.Pageable;
import dev.dpccheck.wdm.Wdm;
import java.lang.reflect.Parameter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import spoon.reflect.code.CtAssignment;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFieldRead;
import spoon.reflect.code.CtInvocation;
import spoon.reflect.code.CtLocalVariable;
import spoon.reflect.code.CtReturn;
import spoon.reflect.code.CtVariableRead;
import spoon.reflect.declaration.CtAnnotation;
import spoon.reflect.declaration.CtElement;
import spoon.reflect.declaration.CtExecutable;
import spoon.reflect.declaration.CtType;

/**
 * The IRQL analysis. Every routine is analyzed from the IRQL its role is entered at, every helper
 * that declares an IRQL contract from that contract; a helper without one is analyzed at the IRQL
 * of each call (a summary per helper and entry IRQL), and what goes wrong inside it is reported at
 * the call in the routine's own code, with the helper's line in the witness.
 *
 * <p>The abstract IRQL is a set of levels (PASSIVE, APC, DISPATCH, DIRQL, HIGH), joined by union.
 * Raises and lowers follow the annotations: {@code @IrqlSaves} on a parameter saves the current
 * IRQL in that holder, {@code @IrqlRestores} restores the value given, {@code @IrqlRaises} raises to
 * a level (and a routine that raises and returns an int returns the saved IRQL). Two routines raise
 * to a level the annotations cannot name: KeRaiseIrql (to its NewIrql) and
 * KeAcquireInterruptSpinLock (to the interrupt's DIRQL).
 */
public final class IrqlAnalysis {
    /** What the analysis found wrong. */
    public record Violation(String rule, CtElement site, boolean atEnd, String message, List<CtElement> witness) {
    }

    static final int PASSIVE = 0;
    static final int APC = 1;
    static final int DISPATCH = 2;
    static final int DIRQL = 3;
    static final int HIGH = 4;
    private static final String[] NAMES = {"PASSIVE_LEVEL", "APC_LEVEL", "DISPATCH_LEVEL", "DIRQL", "HIGH_LEVEL"};

    /** The abstract level of an IRQL value. */
    static int level(int irql) {
        if (irql <= Wdm.PASSIVE_LEVEL) {
            return PASSIVE;
        }
        if (irql == Wdm.APC_LEVEL) {
            return APC;
        }
        if (irql == Wdm.DISPATCH_LEVEL) {
            return DISPATCH;
        }
        return irql <= Wdm.DIRQL_MAX ? DIRQL : HIGH;
    }

    private static int bit(int level) {
        return 1 << level;
    }

    /**
     * The state on one set of paths: the possible levels, the IRQLs saved in holders and locals,
     * and what the branches taken say (paths with different facts are kept apart).
     */
    private record State(int current, Map<String, Integer> saved, Facts facts) {
        State join(State o) {
            Map<String, Integer> m = new TreeMap<>(saved);
            o.saved.forEach((k, v) -> m.merge(k, v, (a, b) -> a | b));
            return new State(current | o.current, m, facts.equals(o.facts) ? facts : Facts.NONE);
        }

        State with(int cur) {
            return new State(cur, saved, facts);
        }

        State with(Facts f) {
            return new State(current, saved, f);
        }

        /** This state without the IRQL saved under {@code key}: a lower took it back. */
        State consume(String key) {
            if (key == null || !saved.containsKey(key)) {
                return this;
            }
            Map<String, Integer> m = new TreeMap<>(saved);
            m.remove(key);
            return new State(current, m, facts);
        }

        State save(String key, int value) {
            if (key == null) {
                return this;
            }
            Map<String, Integer> m = new TreeMap<>(saved);
            m.put(key, value);
            return new State(current, m, facts);
        }
    }

    /** At most this many differently-facted states per node; beyond, they are merged. */
    private static final int MAX_STATES = 16;

    /** The result of analyzing one body from one entry IRQL. */
    /**
     * @param exit the possible levels at the body's return
     * @param savedInParameters the IRQLs the body saved in its parameters (Out holders), by parameter name
     * @param savedInReturn the IRQLs the body returns that it saved (a lock wrapper that returns the old
     *        IRQL), or null
     */
    private record Summary(int exit, List<Violation> violations, Map<String, Integer> savedInParameters,
            Integer savedInReturn) {
        Summary(int exit, List<Violation> violations) {
            this(exit, violations, Map.of(), null);
        }
    }

    private final DriverModel driver;
    private final Function<CtExecutable<?>, Cfg> cfgs;
    private final Map<CtExecutable<?>, Map<String, Summary>> summaries = new IdentityHashMap<>();
    private final Deque<CtExecutable<?>> inProgress = new ArrayDeque<>();
    private final Map<String, Violation> found = new LinkedHashMap<>();

    private final java.util.function.BiConsumer<CtExecutable<?>, String> stoppedShort;

    private IrqlAnalysis(DriverModel driver, Function<CtExecutable<?>, Cfg> cfgs,
            java.util.function.BiConsumer<CtExecutable<?>, String> stoppedShort) {
        this.driver = driver;
        this.cfgs = cfgs;
        this.stoppedShort = stoppedShort;
    }

    /** The work one body's analysis may do, counted as in the typestate engine: per state, one plus its facts. */
    static final int MAX_WORK = 500_000;

    /**
     * Analyzes every routine of {@code driver} and every helper that declares an IRQL contract; a
     * body over the budget is told to {@code stoppedShort}, with the reason.
     */
    public static IrqlAnalysis run(DriverModel driver, List<CtExecutable<?>> annotatedHelpers,
            Function<CtExecutable<?>, Cfg> cfgs, java.util.function.BiConsumer<CtExecutable<?>, String> stoppedShort) {
        IrqlAnalysis a = new IrqlAnalysis(driver, cfgs, stoppedShort);
        for (DriverModel.Routine r : driver.routines()) {
            int entry = bit(level(r.role().entryIrql()));
            a.record(a.analyze(r.body(), entry, r.role()).violations);
            // a dispatch routine that asks KeGetCurrentIrql() says it may be called at DISPATCH_LEVEL too (a
            // lower driver's read and write): it is checked there as well
            if (r.role() == Role.DISPATCH && asksIrql(r.body())) {
                a.record(a.analyze(r.body(), bit(DISPATCH), r.role()).violations);
            }
        }
        for (CtExecutable<?> h : annotatedHelpers) {
            int[] c = declaredContract(h);
            if (c != null && driver.rolesOf(h).isEmpty()) {
                // analyzed at the highest IRQL it allows, or at its minimum when it allows any; @Pageable
                // alone says where the code lives, not the IRQL it runs at: paged code runs at PASSIVE_LEVEL
                // unless its callers say otherwise
                int entry = !declaresIrql(h) ? Wdm.PASSIVE_LEVEL : c[1] == Wdm.HIGH_LEVEL ? c[0] : c[1];
                a.record(a.analyze(h, bit(level(entry)), null).violations);
            }
        }
        return a;
    }

    private void record(List<Violation> vs) {
        for (Violation v : vs) {
            found.putIfAbsent(v.rule + "@" + DriverModel.positionKey(v.site) + (v.atEnd ? "$" : ""), v);
        }
    }

    /** Every violation found, in the order found. */
    public List<Violation> violations() {
        return new ArrayList<>(found.values());
    }

    /**
     * The IRQL contract a driver method declares: {min, max}, or null when it declares none.
     * {@code @Pageable} makes the max APC_LEVEL.
     */
    public static int[] declaredContract(CtExecutable<?> m) {
        Integer exact = annotationInt(m, IrqlRequires.class.getName());
        Integer max = annotationInt(m, IrqlRequiresMax.class.getName());
        Integer min = annotationInt(m, IrqlRequiresMin.class.getName());
        boolean pageable = hasAnnotation(m, Pageable.class.getName())
                || (m.getParent(CtType.class) != null && hasAnnotation(m.getParent(CtType.class), Pageable.class.getName()));
        if (exact == null && max == null && min == null && !pageable) {
            return null;
        }
        int lo = exact != null ? exact : min != null ? min : Wdm.PASSIVE_LEVEL;
        int hi = exact != null ? exact : max != null ? max : Wdm.HIGH_LEVEL;
        if (pageable) {
            hi = Math.min(hi, Wdm.APC_LEVEL);
        }
        return new int[] {lo, Math.max(lo, hi)};
    }

    /** Whether a method states an IRQL contract of its own, beyond {@code @Pageable}. */
    private static boolean declaresIrql(CtExecutable<?> m) {
        return annotationInt(m, IrqlRequires.class.getName()) != null
                || annotationInt(m, IrqlRequiresMax.class.getName()) != null
                || annotationInt(m, IrqlRequiresMin.class.getName()) != null;
    }

    private static boolean hasAnnotation(CtElement e, String qualifiedName) {
        for (CtAnnotation<?> a : e.getAnnotations()) {
            if (a.getAnnotationType().getQualifiedName().equals(qualifiedName)) {
                return true;
            }
        }
        return false;
    }

    private static Integer annotationInt(CtElement e, String qualifiedName) {
        for (CtAnnotation<?> a : e.getAnnotations()) {
            if (a.getAnnotationType().getQualifiedName().equals(qualifiedName)) {
                Object v = WdmRoutine.constant(a.getValue("value"));
                return v instanceof Number n ? n.intValue() : null;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- one body

    private Summary analyze(CtExecutable<?> body, int entry, Role role) {
        return analyze(body, entry, role, Map.of(), Facts.NONE);
    }

    /**
     * The summary of a body entered at {@code entry}; {@code inherited} are the IRQLs its caller
     * saved in what it passes as arguments, by parameter name.
     */
    private Summary analyze(CtExecutable<?> body, int entry, Role role, Map<String, Integer> inherited, Facts arguments) {
        Map<String, Summary> byEntry = summaries.computeIfAbsent(body, k -> new HashMap<>());
        // a routine's own analysis (with its exit checks) and its analysis as a callee differ; so do calls
        // with different flag arguments
        String key = entry + "/" + role + "/" + new TreeMap<>(inherited) + "/" + arguments;
        Summary done = byEntry.get(key);
        if (done != null) {
            return done;
        }
        if (inProgress.contains(body)) {
            // recursion: assume the call returns at the IRQL it was made at
            return new Summary(entry, List.of());
        }
        inProgress.push(body);
        Summary s;
        try {
            s = solve(body, entry, role, inherited, arguments);
        } finally {
            inProgress.pop();
        }
        byEntry.put(key, s);
        return s;
    }

    private Summary solve(CtExecutable<?> body, int entry, Role role, Map<String, Integer> inherited, Facts arguments) {
        Cfg g = cfgs.apply(body);
        if (g == null) {
            return new Summary(entry, List.of());
        }
        Map<Node, List<State>> in = new IdentityHashMap<>();
        in.put(g.entry(), List.of(new State(entry, new TreeMap<>(inherited), arguments)));
        Deque<Node> work = new ArrayDeque<>();
        work.add(g.entry());
        Map<String, Violation> violations = new LinkedHashMap<>();
        int exit = 0;
        java.util.Set<String> parameters = new java.util.HashSet<>();
        for (spoon.reflect.declaration.CtParameter<?> p : body.getParameters()) {
            parameters.add(p.getSimpleName());
        }
        Map<String, Integer> savedInParameters = new TreeMap<>();
        Integer[] savedInReturn = {null};
        long budget = MAX_WORK;
        while (!work.isEmpty()) {
            Node n = work.poll();
            List<State> ins = in.get(n);
            for (State s : ins) {
                budget -= 1 + s.facts.size();
            }
            if (budget < 0) {
                stoppedShort.accept(body, "its paths exceed the IRQL analysis' budget");
                break;
            }
            List<State> outs = new ArrayList<>();
            for (State s : ins) {
                outs.add(transfer(n, s, entry, role, violations));
            }
            for (Cfg.Edge e : n.successors()) {
                Node t = e.to();
                // an exception leaves the node before its effects: the handler sees the state it entered with
                for (State out : e.kind() == Cfg.EdgeKind.EXCEPTION ? ins : outs) {
                    State o = out;
                    if (n.kind() == Cfg.Kind.CONDITION && (e.kind() == Cfg.EdgeKind.TRUE
                            || e.kind() == Cfg.EdgeKind.FALSE)) {
                        Facts f = o.facts.assume((CtExpression<?>) n.element(), e.kind() == Cfg.EdgeKind.TRUE);
                        if (f == null) {
                            continue;
                        }
                        o = o.with(f);
                        // a test of KeGetCurrentIrql() says which levels the branch runs at
                        int at = refine((CtExpression<?>) n.element(), e.kind() == Cfg.EdgeKind.TRUE, o.current);
                        if (at == 0) {
                            continue;
                        }
                        o = o.with(at);
                    }
                    if (t == g.exit()) {
                        exit |= o.current;
                        o.saved.forEach((k, v) -> {
                            if (parameters.contains(k)) {
                                savedInParameters.merge(k, v, (a, b) -> a | b);
                            }
                        });
                        if (n.element() instanceof CtReturn<?> r && r.getReturnedExpression() != null) {
                            Integer v = o.saved.get(key(r.getReturnedExpression()));
                            if (v != null) {
                                savedInReturn[0] = savedInReturn[0] == null ? v : savedInReturn[0] | v;
                            }
                        }
                        checkReturn(n, o, entry, role, body, violations);
                        continue;
                    }
                    if (addState(in, t, o)) {
                        work.add(t);
                    }
                }
            }
        }
        return new Summary(exit == 0 ? entry : exit, new ArrayList<>(violations.values()), savedInParameters,
                savedInReturn[0]);
    }

    /**
     * The levels of {@code current} at which {@code condition} has the given outcome, where it
     * compares KeGetCurrentIrql() with a constant ({@code KeGetCurrentIrql() < DISPATCH_LEVEL});
     * {@code current} unchanged for any other condition.
     */
    static int refine(CtExpression<?> condition, boolean outcome, int current) {
        if (condition instanceof spoon.reflect.code.CtUnaryOperator<?> u
                && u.getKind() == spoon.reflect.code.UnaryOperatorKind.NOT) {
            return refine(u.getOperand(), !outcome, current);
        }
        if (!(condition instanceof spoon.reflect.code.CtBinaryOperator<?> b)) {
            return current;
        }
        boolean left = currentIrql(b.getLeftHandOperand());
        if (!left && !currentIrql(b.getRightHandOperand())) {
            return current;
        }
        Object k = WdmRoutine.constant(left ? b.getRightHandOperand() : b.getLeftHandOperand());
        if (!(k instanceof Number n)) {
            return current;
        }
        int out = 0;
        for (int level = PASSIVE; level <= HIGH; level++) {
            if ((current & bit(level)) == 0) {
                continue;
            }
            // an abstract level stands for the IRQLs it covers: DIRQL for every device level
            int[] values = level == DIRQL ? new int[] {Wdm.DISPATCH_LEVEL + 1, Wdm.DIRQL_MAX} : new int[] {
                    level == PASSIVE ? Wdm.PASSIVE_LEVEL : level == APC ? Wdm.APC_LEVEL
                            : level == DISPATCH ? Wdm.DISPATCH_LEVEL : Wdm.HIGH_LEVEL};
            for (int v : values) {
                Boolean holds = WdmRoutine.compare(b.getKind(), left ? v : n.intValue(), left ? n.intValue() : v);
                if (holds == null) {
                    return current;
                }
                if (holds == outcome) {
                    out |= bit(level);
                }
            }
        }
        return out;
    }

    private static boolean asksIrql(CtExecutable<?> body) {
        for (CtInvocation<?> call : dev.dpccheck.analyzer.model.Resolve.elements(body, CtInvocation.class)) {
            if (currentIrql(call)) {
                return true;
            }
        }
        return false;
    }

    private static boolean currentIrql(CtExpression<?> e) {
        return e instanceof CtInvocation<?> call && call.getExecutable().getSimpleName().equals("KeGetCurrentIrql")
                && WdmRoutine.of(call) != null;
    }

    /** Adds a state to a node's states; true when they changed. */
    private static boolean addState(Map<Node, List<State>> in, Node t, State o) {
        List<State> list = new ArrayList<>(in.getOrDefault(t, List.of()));
        for (int i = 0; i < list.size(); i++) {
            State x = list.get(i);
            // paths that hold different saved IRQLs stay apart: one may lower what the other already lowered
            if (x.facts.equals(o.facts) && x.saved.keySet().equals(o.saved.keySet())) {
                State j = x.join(o);
                if (j.equals(x)) {
                    return false;
                }
                list.set(i, j);
                in.put(t, list);
                return true;
            }
        }
        list.add(o);
        if (list.size() > MAX_STATES) {
            State all = list.get(0);
            for (State x : list) {
                all = all.join(x);
            }
            list = new ArrayList<>(List.of(all.with(Facts.NONE)));
        }
        in.put(t, list);
        return true;
    }

    private void checkReturn(Node n, State out, int entry, Role role, CtExecutable<?> body,
            Map<String, Violation> violations) {
        if (role == null || out.current == entry) {
            return;
        }
        boolean atEnd = !(n.element() instanceof CtReturn<?>);
        CtElement site = atEnd ? body : n.element();
        String routine = body instanceof spoon.reflect.code.CtLambda<?> ? "The " + role.wdkName + " lambda"
                : "'" + body.getSimpleName() + "'";
        add(violations, new Violation("IrqlNotRestored", site, atEnd, routine + " returns at "
                + names(out.current & ~entry) + " but was called at " + names(entry) + ".", List.of()));
    }

    private static void add(Map<String, Violation> vs, Violation v) {
        vs.putIfAbsent(v.rule + "@" + DriverModel.positionKey(v.site) + (v.atEnd ? "$" : ""), v);
    }

    private State transfer(Node n, State s, int entry, Role role, Map<String, Violation> violations) {
        if (n.element() == null || n.kind() == Cfg.Kind.JOIN) {
            return s;
        }
        State cur = apply(Events.items(n), s, entry, role, violations);
        return n.kind() == Cfg.Kind.CONDITION ? cur : cur.with(cur.facts.after(n));
    }

    /** The state after the steps; the arms of a choice are followed each on its own and joined. */
    private State apply(List<Events.Item> items, State s, int entry, Role role, Map<String, Violation> violations) {
        State cur = s;
        for (Events.Item item : items) {
            if (item instanceof Events.Event e) {
                if (e.element() instanceof CtInvocation<?> call) {
                    cur = call(call, cur, entry, role, violations);
                }
            } else {
                State joined = null;
                for (List<Events.Item> arm : ((Events.Fork) item).arms()) {
                    State a = apply(arm, cur, entry, role, violations);
                    joined = joined == null ? a : joined.join(a);
                }
                if (joined != null) {
                    cur = joined;
                }
            }
        }
        return cur;
    }

    private State call(CtInvocation<?> call, State s, int entry, Role role, Map<String, Violation> violations) {
        WdmRoutine w = WdmRoutine.of(call);
        if (w != null) {
            checkContract(call, "'" + w.name + "'", s.current, w.contract.min(),
                    w.contract.maxFor(WdmRoutine.abstractArguments(call)),
                    w.contract.maxReason(WdmRoutine.abstractArguments(call)), w.contract.min() == w.contract.max(),
                    violations);
            return effects(call, w, s, entry, role, violations);
        }
        CtExecutable<?> callee = Resolve.declaration(call.getExecutable());
        if (!DriverModel.fromSource(callee)) {
            return s;
        }
        // what the caller saved and hands over: a helper may restore an IRQL its caller saved
        Map<String, Integer> inherited = new TreeMap<>();
        for (int i = 0; i < callee.getParameters().size() && i < call.getArguments().size(); i++) {
            String k = key(call.getArguments().get(i));
            if (k != null && s.saved.containsKey(k)) {
                inherited.put(callee.getParameters().get(i).getSimpleName(), s.saved.get(k));
            }
        }
        Facts arguments = Facts.NONE.withArguments(callee, call.getArguments(), s.facts);
        int[] declared = declaredContract(callee);
        if (declared != null) {
            checkContract(call, "'" + callee.getSimpleName() + "'", s.current, declared[0], declared[1], "",
                    declared[0] == declared[1], violations);
            // its own analysis reports what is wrong inside; here only where it leaves the IRQL matters
            return returned(call, callee, s, analyze(callee, s.current, null, inherited, arguments));
        }
        Summary inner = analyze(callee, s.current, null, inherited, arguments);
        for (Violation v : inner.violations) {
            List<CtElement> witness = new ArrayList<>();
            witness.add(call);
            witness.addAll(v.witness.isEmpty() ? List.of(v.site) : v.witness);
            int line = v.site.getPosition().isValidPosition() ? v.site.getPosition().getLine() : 0;
            String message = v.message.substring(0, v.message.length() - 1) + " (in '" + callee.getSimpleName()
                    + "' at line " + line + ").";
            add(violations, new Violation(v.rule, call, false, message, witness));
        }
        return returned(call, callee, s, inner);
    }

    /** The caller's state after a helper returns: its exit IRQL, and what it saved in the holders passed to it. */
    private static State returned(CtInvocation<?> call, CtExecutable<?> callee, State s, Summary inner) {
        State out = s.with(inner.exit);
        if (inner.savedInReturn != null) {
            out = out.save(assignedKey(call), inner.savedInReturn);
        }
        for (int i = 0; i < callee.getParameters().size() && i < call.getArguments().size(); i++) {
            Integer saved = inner.savedInParameters.get(callee.getParameters().get(i).getSimpleName());
            if (saved != null) {
                out = out.save(key(call.getArguments().get(i)), saved);
            }
        }
        return out;
    }

    private void checkContract(CtInvocation<?> call, String what, int current, int min, int max, String reason,
            boolean exact, Map<String, Violation> violations) {
        for (int l = PASSIVE; l <= HIGH; l++) {
            if ((current & bit(l)) == 0) {
                continue;
            }
            if (l > level(max)) {
                // SDV's IrqlDispatch is about routines that need exactly DISPATCH_LEVEL; a PASSIVE_LEVEL one called higher is too high
                boolean dispatch = exact && level(min) == level(max) && level(max) == level(Wdm.DISPATCH_LEVEL);
                String rule = dispatch ? "IrqlDispatch" : "IrqlTooHigh";
                String need = exact ? "at " + name(level(max)) : "at or below " + name(level(max));
                add(violations, new Violation(rule, call, false, what + " is called at " + name(l)
                        + "; it must be called " + need + reason + ".", List.of()));
                return;
            }
            if (l < level(min)) {
                String rule = exact && level(min) == level(Wdm.DISPATCH_LEVEL) ? "IrqlDispatch" : "IrqlTooLow";
                String need = exact ? "at " + name(level(min)) : "at or above " + name(level(min));
                add(violations, new Violation(rule, call, false, what + " is called at " + name(l)
                        + "; it must be called " + need + ".", List.of()));
                return;
            }
        }
    }

    // ---------------------------------------------------------------- raising and lowering

    private State effects(CtInvocation<?> call, WdmRoutine w, State s, int entry, Role role,
            Map<String, Violation> violations) {
        List<CtExpression<?>> args = call.getArguments();
        Parameter[] params = w.method.getParameters();
        State cur = s;
        Integer raisedTo = null;
        if (w.name.equals("KeRaiseIrql") && WdmRoutine.constant(args.get(0)) instanceof Number to) {
            raisedTo = bit(level(to.intValue()));
            if (level(to.intValue()) < lowest(s.current)) {
                add(violations, new Violation("IrqlKeRaiseLower", call, false, "'KeRaiseIrql' raises to "
                        + name(level(to.intValue())) + ", below the current " + names(s.current) + ".", List.of()));
            }
        } else if (w.name.equals("KeAcquireInterruptSpinLock")) {
            raisedTo = bit(DIRQL);
        } else if (w.method.isAnnotationPresent(IrqlRaises.class)) {
            raisedTo = bit(level(w.method.getAnnotation(IrqlRaises.class).value()));
        }
        boolean savedInParameter = false;
        for (int i = 0; i < params.length && i < args.size(); i++) {
            if (params[i].isAnnotationPresent(IrqlSaves.class)) {
                cur = cur.save(key(args.get(i)), s.current);
                savedInParameter = true;
            }
        }
        if (raisedTo != null && !savedInParameter && w.method.getReturnType() == int.class) {
            cur = cur.save(assignedKey(call), s.current);
        }
        for (int i = 0; i < params.length && i < args.size(); i++) {
            if (params[i].isAnnotationPresent(IrqlRestores.class)) {
                int to = restored(args.get(i), cur, entry, call, w, violations);
                if (w.name.equals("KeLowerIrql") && highest(to) > highest(s.current)) {
                    add(violations, new Violation("IrqlKeRaiseLower", call, false, "'KeLowerIrql' lowers to "
                            + names(to) + ", above the current " + names(s.current) + ".", List.of()));
                }
                if (role != null && role.isDpc() && lowest(to) < DISPATCH) {
                    add(violations, new Violation("IrqlKeRaiseLower", call, false, "The DPC lowers the IRQL to "
                            + name(lowest(to)) + ", below DISPATCH_LEVEL.", List.of()));
                }
                cur = cur.with(to);
                if (w.name.equals("KeLowerIrql")) {
                    // one lower per raise: the saved IRQL is spent
                    cur = cur.consume(key(args.get(i)));
                }
            }
        }
        if (raisedTo != null) {
            cur = cur.with(raisedTo);
        }
        return cur;
    }

    private int restored(CtExpression<?> arg, State s, int entry, CtInvocation<?> call, WdmRoutine w,
            Map<String, Violation> violations) {
        Object c = WdmRoutine.constant(arg);
        if (c instanceof Number n) {
            int to = bit(level(n.intValue()));
            // KeLowerIrql takes back what KeRaiseIrql saved: a constant that no saved IRQL on this path can be
            // lowers somewhere the routine was not
            if (w.name.equals("KeLowerIrql") && !s.saved.isEmpty() && s.saved.values().stream().noneMatch(v -> (v & to) != 0)) {
                add(violations, new Violation("IrqlKeRaiseLower", call, false, "'KeLowerIrql' lowers to " + names(to)
                        + ", which is not the IRQL the raise saved (" + names(s.saved.values().stream()
                        .reduce(0, (a, b) -> a | b)) + ").", List.of()));
            }
            return to;
        }
        String key = key(arg);
        Integer saved = key == null ? null : s.saved.get(key);
        if (saved != null) {
            return saved;
        }
        if (w.name.equals("KeLowerIrql")) {
            add(violations, new Violation("IrqlKeRaiseLower", call, false, "'KeLowerIrql' restores '" + arg
                    + "', which no raise in this routine saved.", List.of()));
        }
        return entry;
    }

    /**
     * The name of the holder or local an IRQL is saved in or restored from: the text of the
     * expression, with {@code .value} of an {@code Out} holder taken off, so that a field holder
     * or a field assigned from a raise is named the same way where it is saved and where it is read.
     */
    private static String key(CtExpression<?> e) {
        if (e instanceof CtFieldRead<?> f && f.getVariable().getSimpleName().equals("value") && f.getTarget() != null) {
            return f.getTarget().toString();
        }
        return e == null ? null : e.toString();
    }

    /** Where the result of a call goes: {@code int old = call()} or {@code old = call()}. */
    private static String assignedKey(CtInvocation<?> call) {
        CtElement p = call.getParent();
        if (p instanceof CtLocalVariable<?> l) {
            return l.getSimpleName();
        }
        if (p instanceof CtAssignment<?, ?> a) {
            return a.getAssigned().toString();
        }
        return null;
    }

    private static int lowest(int set) {
        for (int l = PASSIVE; l <= HIGH; l++) {
            if ((set & bit(l)) != 0) {
                return l;
            }
        }
        return PASSIVE;
    }

    private static int highest(int set) {
        for (int l = HIGH; l >= PASSIVE; l--) {
            if ((set & bit(l)) != 0) {
                return l;
            }
        }
        return PASSIVE;
    }

    static String name(int level) {
        return NAMES[level];
    }

    static String names(int set) {
        List<String> out = new ArrayList<>();
        for (int l = PASSIVE; l <= HIGH; l++) {
            if ((set & bit(l)) != 0) {
                out.add(NAMES[l]);
            }
        }
        return out.isEmpty() ? "no IRQL" : String.join(" or ", out);
    }

    @Override
    public String toString() {
        return Objects.toString(found.keySet());
    }
}
