package dev.dpccheck.analyzer.dataflow;

import dev.dpccheck.analyzer.cfg.Cfg.Node;
import dev.dpccheck.analyzer.cfg.Cfg;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.driver.WdmRoutine;
import dev.dpccheck.analyzer.model.Resolve;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import spoon.reflect.code.BinaryOperatorKind;
import spoon.reflect.code.CtBinaryOperator;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFieldRead;
import spoon.reflect.code.CtInvocation;
import spoon.reflect.code.CtReturn;
import spoon.reflect.code.CtUnaryOperator;
import spoon.reflect.code.UnaryOperatorKind;
import spoon.reflect.declaration.CtElement;
import spoon.reflect.declaration.CtExecutable;

/**
 * The typestate engine: runs a rule's automaton over every path of a routine, in the manner of
 * ESP's property simulation (Das, Lerner and Seigle, PLDI 2002). States with different automaton
 * states are kept apart; so are states whose branch facts differ ({@link Facts}), which is what
 * makes {@code if (ok) ... if (ok) ...} not a false path. Calls into the driver's own methods are
 * followed however deep they nest, and so are the SynchCritSections that KeSynchronizeExecution
 * runs; what goes wrong inside is reported at the call in the routine's own code, the helper's line
 * in the message and the witness. A walk into a callee is kept per call, entry state and what is
 * known of its arguments and fields, and used again. Recursion on the same objects (a callee
 * entered again with the same arguments and state while it is being walked: a retry) takes the
 * exits found so far for that entry, starting from none, and the walk is repeated until they no
 * longer change: a least fixpoint. Recursion on other objects (the next IRP of a chain) is not
 * followed: its names would be taken for the outer activation's. One budget bounds all the
 * work of a routine with its helpers; a routine that exceeds it, or a recursion that does not
 * settle, is told to the caller (a notification), never cut silently.
 *
 * @param <S> the automaton's state: immutable, with value equality
 */
public final class PathEngine<S> {
    /** A rule's automaton. */
    public interface Property<S> {
        /** The state a routine starts in; null to skip the routine. */
        S initial(DriverModel.Routine routine);

        /** The state after one event (an invocation, a constructor call or a field access). */
        S event(PathEngine<S>.Step step, S state);

        /** The state on the branch of {@code condition} that has the given outcome; null when impossible. */
        default S branch(CtExpression<?> condition, boolean outcome, PathEngine<S>.Step step, S state) {
            return state;
        }

        /**
         * The state a helper the routine calls (not the routine) leaves on one of its exits: {@code
         * step} is the exit's return statement (or the last node when the path falls off the end),
         * in the helper's code. The call's later events (the write of its result) see this state:
         * a value the helper returns can be told to them, tied to the exit's other effects.
         */
        default S returned(PathEngine<S>.Step step, S state) {
            return state;
        }

        /** Called when the routine returns (not a helper it calls), with the state on that path. */
        default void exit(PathEngine<S>.Exit exit, S state) {
        }
    }

    /** An event, where it happens, and how to report at it. */
    public final class Step {
        private final CtElement element;
        private final Frame frame;

        Step(CtElement element, Frame frame) {
            this.element = element;
            this.frame = frame;
        }

        /** The invocation, constructor call or field access. */
        public CtElement element() {
            return element;
        }

        /** The routine being analyzed (the root, not the helper the event is in). */
        public DriverModel.Routine routine() {
            return routine;
        }

        /** Whether the event runs inside a SynchCritSection that KeSynchronizeExecution runs. */
        public boolean inSynchCritSection() {
            return frame.synch;
        }

        /** The method or lambda whose code holds the event. */
        public CtExecutable<?> body() {
            return frame.body;
        }

        /** The element in the routine's own code that leads to the event: the event, or the call into the helper. */
        public CtElement site() {
            return frame.outerCall != null ? frame.outerCall : element;
        }

        /** The name a variable of the helper the event is in has at the routine's level, for keys. */
        public String key(CtExpression<?> e) {
            return frame.key(e);
        }

        /** Reports a finding of {@code rule} at {@link #site()}. */
        public void report(String rule, String message) {
            PathEngine.this.reportAt(rule, element, message, frame);
        }

        /**
         * Reports a finding of {@code rule} at {@link #site()}, its witness path starting at the
         * earlier step {@code cause} (an element of the routine's own code, from an earlier
         * {@link #site()}).
         */
        public void report(String rule, String message, CtElement cause) {
            PathEngine.this.reportAt(rule, element, message, frame);
            String key = Finding.key(rule, site(), false);
            Finding f = findings.get(key);
            if (f != null && cause != null && (f.witness().isEmpty() || f.witness().get(0) != cause)) {
                List<CtElement> w = new ArrayList<>();
                w.add(cause);
                w.addAll(f.witness().isEmpty() ? List.of(site()) : f.witness());
                findings.put(key, new Finding(f.rule(), f.site(), f.atEnd(), f.message(), w));
            }
        }

        /** Reports a finding of {@code rule} at another element of the same code. */
        public void reportAt(String rule, CtElement at, String message) {
            PathEngine.this.reportAt(rule, at, message, frame);
        }

        /** Reports at an element of the routine's own code that an earlier step recorded from {@link #site()}. */
        public void reportAtSite(String rule, CtElement siteInRoutine, String message) {
            Finding f = new Finding(rule, siteInRoutine, false, message, List.of(siteInRoutine, site()));
            findings.putIfAbsent(f.key(), f);
        }
    }

    /** A return of the routine. */
    public final class Exit {
        private final CtElement returned;

        Exit(CtElement returned) {
            this.returned = returned;
        }

        /** The return statement, or null when the path falls off the end of the body. */
        public CtReturn<?> returnStatement() {
            return returned instanceof CtReturn<?> r ? r : null;
        }

        public DriverModel.Routine routine() {
            return routine;
        }

        /** Reports at the return statement, or at the closing brace when the path falls off the end. */
        public void report(String rule, String message) {
            Finding f = new Finding(rule, returned == null ? routine.body() : returned, returned == null, message,
                    List.of());
            findings.putIfAbsent(f.key(), f);
        }
    }

    /** What the engine found: a rule, a site in the routine's own code (or its closing brace), a message. */
    public record Finding(String rule, CtElement site, boolean atEnd, String message, List<CtElement> witness) {
        /** What makes two findings one: the rule and the site (a closing brace apart from the statement there). */
        public String key() {
            return key(rule, site, atEnd);
        }

        static String key(String rule, CtElement site, boolean atEnd) {
            return rule + "@" + DriverModel.positionKey(site) + (atEnd ? "$" : "");
        }
    }

    /** Findings of several runs (drivers, or groups of one driver's routines), in order, each once ({@link Finding#key}). */
    public static List<Finding> merge(List<List<Finding>> runs) {
        Map<String, Finding> all = new LinkedHashMap<>();
        for (List<Finding> run : runs) {
            for (Finding f : run) {
                all.putIfAbsent(f.key(), f);
            }
        }
        return new ArrayList<>(all.values());
    }

    /** Where the code being walked sits: the helper, the call into it at the routine level, the renaming. */
    private static final class Frame {
        final CtExecutable<?> body;
        final CtInvocation<?> outerCall;
        final List<CtInvocation<?>> calls;
        final boolean synch;
        final Map<String, String> renaming;

        Frame(CtExecutable<?> body, CtInvocation<?> outerCall, List<CtInvocation<?>> calls, boolean synch,
                Map<String, String> renaming) {
            this.body = body;
            this.outerCall = outerCall;
            this.calls = calls;
            this.synch = synch;
            this.renaming = renaming;
        }

        String key(CtExpression<?> e) {
            if (e == null) {
                return null;
            }
            String text = (String) Resolve.memo(e.getFactory(), "text", e, () -> e.toString().replaceAll("\\s+", " "));
            if (renaming.isEmpty()) {
                return text;
            }
            int end = 0;
            while (end < text.length() && ".[(".indexOf(text.charAt(end)) < 0) {
                end++;
            }
            String head = text.substring(0, end);
            String mapped = renaming.get(head);
            return mapped == null ? text : mapped + text.substring(head.length());
        }
    }

    /** One automaton state with the facts of its paths. */
    private static final class PState<S> {
        final S state;
        final Facts facts;
        /** Taken once: a node's states are compared with each new one, and most differ in it. */
        private final int hash;

        PState(S state, Facts facts) {
            this.state = state;
            this.facts = facts;
            this.hash = state.hashCode() * 31 + facts.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PState<?> p && p.hash == hash && p.state.equals(state) && p.facts.equals(facts);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * An automaton state after some events of a node, with what the calls among them returned,
     * where the walk of the callee knows it ({@code return false}, {@code return ok} where the
     * branch facts know {@code ok}, {@code return helper()} where that is known in turn): the
     * branch on the call's result, or the local it is stored in, then follows only the exits that
     * returned what the branch needs. This is what ties a helper's result to its effects: a
     * SynchCritSection that clears a flag and returns FALSE, a validation helper that completes the
     * IRP and returns false.
     */
    private record Res<S>(S state, Results results) {
        // written out: the generated ones go through method handles, slow in the client compiler
        @Override
        public boolean equals(Object o) {
            return o instanceof Res<?> r && r.state.equals(state) && r.results.equals(results);
        }

        @Override
        public int hashCode() {
            return state.hashCode() * 31 + results.hashCode();
        }
    }

    /**
     * What calls of one node returned, compared by the identity of the call: a Boolean, or for a
     * helper that returns a local variable, what its branch facts knew of that variable ({@link
     * Facts#about}).
     */
    private static final class Results {
        static final Results NONE = new Results(List.of(), List.of(), List.of());
        final List<CtElement> calls;
        final List<Object> values;
        /** What the callee's exit knew of fields ({@link Facts#fieldsOnly}), per call. */
        final List<Facts> fields;

        Results(List<CtElement> calls, List<Object> values, List<Facts> fields) {
            this.calls = calls;
            this.values = values;
            this.fields = fields;
        }

        Results with(CtElement call, Object value, Facts known) {
            if (value == null && known.size() == 0) {
                return this;
            }
            List<CtElement> c = new ArrayList<>(calls);
            List<Object> v = new ArrayList<>(values);
            List<Facts> f = new ArrayList<>(fields);
            c.add(call);
            v.add(value);
            f.add(known);
            return new Results(c, v, f);
        }

        Object of(CtElement call) {
            int i = last(call);
            return i < 0 ? null : values.get(i);
        }

        Facts fieldsOf(CtElement call) {
            int i = last(call);
            return i < 0 ? Facts.NONE : fields.get(i);
        }

        /** Where the last result of {@code call} is, or -1. */
        private int last(CtElement call) {
            for (int i = calls.size() - 1; i >= 0; i--) {
                if (calls.get(i) == call) {
                    return i;
                }
            }
            return -1;
        }

        /**
         * {@code facts} (after the node: the fields its callees may write forgotten) with what the
         * callees' exits knew of fields, in call order; not of the fields the node itself then writes.
         */
        Facts addFieldsTo(Facts facts, Node n) {
            Facts f = facts;
            for (Facts known : fields) {
                f = f.plus(known.withoutFieldsWrittenBy(n.element()));
            }
            return f;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Results r) || r.calls.size() != calls.size() || !r.values.equals(values)
                    || !r.fields.equals(fields)) {
                return false;
            }
            for (int i = 0; i < calls.size(); i++) {
                if (calls.get(i) != r.calls.get(i)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return values.hashCode() * 31 + fields.hashCode();
        }
    }

    /**
     * The boolean value of {@code e} after the node's events, where literals, the results of calls
     * walked into and the branch facts on locals decide it; null when unknown.
     */
    private static Boolean valueOf(CtExpression<?> e, Results results, Facts facts) {
        if (e instanceof spoon.reflect.code.CtLiteral<?> l) {
            return l.getValue() instanceof Boolean b ? b : null;
        }
        if (e instanceof CtInvocation<?>) {
            return results.of(e) instanceof Boolean b ? b : null;
        }
        if (e instanceof spoon.reflect.code.CtUnaryOperator<?> u
                && u.getKind() == spoon.reflect.code.UnaryOperatorKind.NOT) {
            Boolean v = valueOf(u.getOperand(), results, facts);
            return v == null ? null : !v;
        }
        if (e instanceof spoon.reflect.code.CtBinaryOperator<?> b
                && (b.getKind() == spoon.reflect.code.BinaryOperatorKind.AND
                || b.getKind() == spoon.reflect.code.BinaryOperatorKind.OR)) {
            boolean and = b.getKind() == spoon.reflect.code.BinaryOperatorKind.AND;
            Boolean l = valueOf(b.getLeftHandOperand(), results, facts);
            Boolean r = valueOf(b.getRightHandOperand(), results, facts);
            // false decides an AND, true an OR, whichever side it is on
            if (Boolean.valueOf(!and).equals(l) || Boolean.valueOf(!and).equals(r)) {
                return !and;
            }
            return l != null && r != null ? and : null;
        }
        return facts.value(e);
    }

    private static final int MAX_STATES = 32;
    /**
     * The work one routine's walk, with the helpers it walks into, may do before it gives up: a node
     * visit costs one per state it carries plus one per branch fact of that state, since copying and
     * comparing facts is what makes a visit dear in a method with hundreds of correlated branches.
     */
    static final int MAX_WORK = 2_000_000;
    /** How often a recursive helper is walked again, its assumed exits widened each time, before the engine gives up. */
    private static final int MAX_ROUNDS = 8;

    private final DriverModel.Routine routine;
    private final Property<S> property;
    private final Function<CtExecutable<?>, Cfg> cfgs;
    private final Map<String, Finding> findings = new LinkedHashMap<>();
    private final Map<Memo, Set<Res<S>>> inlined = new HashMap<>();
    /** The walks into callees in the order they were stored, so that a round of a recursion can forget its own. */
    private final List<Memo> inlinedOrder = new ArrayList<>();
    /** The entries being walked, innermost last: a call that enters one of them again is recursion. */
    private final Deque<Entry> entered = new ArrayDeque<>();
    /** What a recursive call is assumed to exit with, per entry, until its walk is done. */
    private final Map<Entry, Set<Res<S>>> assumed = new HashMap<>();
    /** The entries whose assumed exits a recursive call has used in the current round. */
    private final Set<Entry> assumedUsed = new java.util.HashSet<>();
    /** The work left to the routine's walk with its helpers; below zero, every walk stops. */
    private long budget = MAX_WORK;

    /** An element compared by identity (Spoon's elements compare, and hash, by structure). */
    private record Same(Object element) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Same s && s.element == element;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(element);
        }
    }

    /**
     * A callee entered in an automaton state, its parameters named by the caller's arguments, with
     * what the caller knew of fields and arguments (as a walk's {@link Memo}): entered so again
     * while it is walked, it recurses.
     */
    private record Entry(Same callee, Object state, boolean synch, Map<String, String> renaming, Facts fields) {
    }

    /** A walk into a callee: the same callee, call, state and naming give the same exits. */
    private record Memo(Same callee, Same call, Object state, boolean synch, Same outerCall, Map<String, String> renaming,
            Facts fields) {
    }
    private final BiConsumer<CtExecutable<?>, String> stoppedShort;

    /** For a dispatch routine, the IRP major functions it is registered for (null: any). */
    private final Set<Integer> majors;
    /** The name of the routine's IRP parameter, or null. */
    private final String irpParameter;

    private PathEngine(DriverModel.Routine routine, Property<S> property, Function<CtExecutable<?>, Cfg> cfgs,
            BiConsumer<CtExecutable<?>, String> stoppedShort, Set<Integer> majors) {
        this.routine = routine;
        this.majors = majors;
        String irp = null;
        for (spoon.reflect.declaration.CtParameter<?> p : routine.body().getParameters()) {
            if (p.getType() != null && p.getType().getQualifiedName().equals(dev.dpccheck.wdm.Irp.class.getName())) {
                irp = p.getSimpleName();
            }
        }
        this.irpParameter = irp;
        this.property = property;
        this.cfgs = cfgs;
        this.stoppedShort = stoppedShort;
    }

    /**
     * Runs {@code property} over every routine of {@code driver}; returns the findings in source
     * order. A body whose walk does not settle within the budget is told to {@code stoppedShort},
     * with the reason, and keeps the findings made so far.
     */
    public static <S> List<Finding> run(DriverModel driver, Property<S> property, Function<CtExecutable<?>, Cfg> cfgs,
            BiConsumer<CtExecutable<?>, String> stoppedShort) {
        return run(driver, driver.routines(), property, cfgs, stoppedShort);
    }

    /** As {@link #run(DriverModel, Property, Function, BiConsumer)}, over the given routines only (one driver's). */
    public static <S> List<Finding> run(DriverModel driver, List<DriverModel.Routine> routines, Property<S> property,
            Function<CtExecutable<?>, Cfg> cfgs, BiConsumer<CtExecutable<?>, String> stoppedShort) {
        Map<String, Finding> all = new LinkedHashMap<>();
        for (DriverModel.Routine r : routines) {
            S initial = property.initial(r);
            if (initial == null) {
                continue;
            }
            PathEngine<S> e = new PathEngine<>(r, property, cfgs, stoppedShort,
                    r.role() == Role.DISPATCH ? driver.majorFunctions(r.body()) : null);
            e.walk(r.body(), Set.of(initial), new Frame(r.body(), null, List.of(), r.role() == Role.SYNCH_CRIT_SECTION,
                    Map.of()), true, Facts.NONE);
            e.findings.forEach(all::putIfAbsent);
        }
        return new ArrayList<>(all.values());
    }

    private void reportAt(String rule, CtElement at, String message, Frame frame) {
        CtElement site = frame.outerCall != null ? frame.outerCall : at;
        String text = message;
        List<CtElement> witness = new ArrayList<>(frame.calls);
        if (frame.outerCall != null) {
            int line = at.getPosition().isValidPosition() ? at.getPosition().getLine() : 0;
            text = message.substring(0, message.length() - (message.endsWith(".") ? 1 : 0)) + " (in '"
                    + frame.body.getSimpleName() + "' at line " + line + ").";
            witness.add(at);
        }
        Finding f = new Finding(rule, site, false, text, witness);
        findings.putIfAbsent(f.key(), f);
    }

    /**
     * Walks a body from the given states; returns the states at its normal exit, each with what it
     * returned (under the key null of its results).
     */
    private Set<Res<S>> walk(CtExecutable<?> body, Set<S> entry, Frame frame, boolean root, Facts known) {
        Cfg g = cfgs.apply(body);
        if (g == null) {
            Set<Res<S>> out = new LinkedHashSet<>();
            for (S s : entry) {
                out.add(new Res<>(s, Results.NONE));
            }
            return out;
        }
        Map<Node, List<PState<S>>> in = new IdentityHashMap<>();
        List<PState<S>> start = new ArrayList<>();
        for (S s : entry) {
            start.add(new PState<>(s, known));
        }
        in.put(g.entry(), start);
        Deque<Node> work = new ArrayDeque<>();
        work.add(g.entry());
        Set<Res<S>> exits = new LinkedHashSet<>();
        while (!work.isEmpty()) {
            Node n = work.poll();
            List<PState<S>> ins = in.get(n);
            boolean spent = budget < 0;
            for (PState<S> p : ins) {
                budget -= 1 + p.facts.size();
            }
            if (budget < 0) {
                // the walk does not settle within its budget: give up on the routine, keep what was found
                if (!spent) {
                    stoppedShort.accept(routine.body(), "its paths exceed the typestate engine's budget");
                }
                break;
            }
            List<PState<S>> outs = new ArrayList<>();
            List<Results> results = new ArrayList<>();
            for (PState<S> p : ins) {
                for (Res<S> r : transfer(n, p.state, frame, p.facts)) {
                    Facts f = n.kind() == Cfg.Kind.CONDITION ? r.results.addFieldsTo(p.facts.after(n), n)
                            : afterNode(n, p.facts, r.results);
                    outs.add(new PState<>(r.state, f));
                    results.add(r.results);
                }
            }
            for (Cfg.Edge e : n.successors()) {
                Node t = e.to();
                // an exception leaves the node before its effects: the handler sees the state it entered with
                boolean thrown = e.kind() == Cfg.EdgeKind.EXCEPTION;
                List<PState<S>> from = thrown ? ins : outs;
                for (int i = 0; i < from.size(); i++) {
                    PState<S> x = from.get(i);
                    Results called = thrown ? Results.NONE : results.get(i);
                    if (n.kind() == Cfg.Kind.SWITCH && e.kind() == Cfg.EdgeKind.CASE
                            && !caseFeasible((CtExpression<?>) n.element(), e.guard(), frame)) {
                        continue;
                    }
                    if (n.kind() == Cfg.Kind.CONDITION && (e.kind() == Cfg.EdgeKind.TRUE
                            || e.kind() == Cfg.EdgeKind.FALSE)) {
                        CtExpression<?> condition = (CtExpression<?>) n.element();
                        boolean outcome = e.kind() == Cfg.EdgeKind.TRUE;
                        Boolean decided = valueOf(condition, called, Facts.NONE);
                        if (decided == null) {
                            decided = major(condition, frame);
                        }
                        if (decided != null && decided != outcome) {
                            continue;
                        }
                        Facts f = x.facts.assume(condition, outcome);
                        S b = f == null ? null : property.branch(condition, outcome, new Step(condition, frame),
                                x.state);
                        if (b == null) {
                            continue;
                        }
                        x = new PState<>(b, f);
                    }
                    if (t == g.exit()) {
                        // what the exit returned, under the key null, for the event that called
                        S left = root || n.element() == null ? x.state
                                : property.returned(new Step(n.element(), frame), x.state);
                        exits.add(new Res<>(left, Results.NONE.with(null, returned(n, called, x.facts),
                                x.facts.fieldsOnly())));
                        if (root) {
                            property.exit(new Exit(n.element() instanceof CtReturn<?> ? n.element() : null),
                                    x.state);
                        }
                        continue;
                    }
                    if (t == g.throwExit()) {
                        continue;
                    }
                    if (add(in, t, x)) {
                        work.add(t);
                    }
                }
            }
        }
        return exits;
    }

    private boolean add(Map<Node, List<PState<S>>> in, Node t, PState<S> y) {
        // a loop head forgets what was known of fields: flags written on the way round would otherwise
        // multiply the paths by every combination of their values, turn after turn
        PState<S> x = t.kind() == Cfg.Kind.JOIN && t.element() == null && y.facts.size() > 0
                ? new PState<>(y.state, y.facts.withoutFields()) : y;
        List<PState<S>> list = in.computeIfAbsent(t, k -> new ArrayList<>());
        if (list.contains(x)) {
            return false;
        }
        list.add(x);
        if (list.size() > MAX_STATES) {
            // too many paths: one per automaton state, with the branch facts all its paths share
            Map<S, Facts> byState = new LinkedHashMap<>();
            for (PState<S> p : list) {
                byState.merge(p.state, p.facts, Facts::meet);
            }
            List<PState<S>> merged = new ArrayList<>();
            byState.forEach((s, f) -> merged.add(new PState<>(s, f)));
            in.put(t, merged);
        }
        return true;
    }

    // ---------------------------------------------------------------- the dispatch routine's major function

    /**
     * The outcome of a test of the major function of the routine's own IRP ({@code
     * stack.MajorFunction == IRP_MJ_CREATE}) as the routine's registrations decide it, or null.
     */
    private Boolean major(CtExpression<?> condition, Frame frame) {
        if (majors == null) {
            return null;
        }
        if (condition instanceof CtUnaryOperator<?> u && u.getKind() == UnaryOperatorKind.NOT) {
            Boolean v = major(u.getOperand(), frame);
            return v == null ? null : !v;
        }
        if (condition instanceof CtBinaryOperator<?> b
                && (b.getKind() == BinaryOperatorKind.EQ || b.getKind() == BinaryOperatorKind.NE)) {
            CtExpression<?> other = ownMajor(b.getLeftHandOperand(), frame) ? b.getRightHandOperand()
                    : ownMajor(b.getRightHandOperand(), frame) ? b.getLeftHandOperand() : null;
            if (other == null || !(WdmRoutine.constant(other) instanceof Integer code)) {
                return null;
            }
            Boolean equal = !majors.contains(code) ? Boolean.FALSE : majors.size() == 1 ? Boolean.TRUE : null;
            return equal == null ? null : equal == (b.getKind() == BinaryOperatorKind.EQ);
        }
        return null;
    }

    /** Whether the case a CASE edge enters can match, where the switch is over the major function of the routine's IRP. */
    private boolean caseFeasible(CtExpression<?> selector, CtElement guard, Frame frame) {
        if (majors == null || guard == null || !ownMajor(selector, frame)) {
            return true;
        }
        Set<Integer> labels = new java.util.TreeSet<>();
        spoon.reflect.code.CtSwitch<?> sw = guard instanceof spoon.reflect.code.CtSwitch<?> x ? x
                : guard.getParent(spoon.reflect.code.CtSwitch.class);
        for (spoon.reflect.code.CtCase<?> c : sw.getCases()) {
            for (CtExpression<?> x : c.getCaseExpressions()) {
                if (!(WdmRoutine.constant(x) instanceof Integer code)) {
                    return true;
                }
                labels.add(code);
            }
        }
        if (guard instanceof spoon.reflect.code.CtCase<?> c && !c.getCaseExpressions().isEmpty()) {
            for (CtExpression<?> x : c.getCaseExpressions()) {
                if (majors.contains((Integer) WdmRoutine.constant(x))) {
                    return true;
                }
            }
            return false;
        }
        // the default, or leaving a switch that has none: some function the routine gets has no case
        return !labels.containsAll(majors);
    }

    /** Whether {@code e} reads the major function of the current stack location of the root routine's IRP parameter. */
    private boolean ownMajor(CtExpression<?> e, Frame frame) {
        return irpParameter != null && majorSource(e) instanceof CtExpression<?> irpArgument
                && irpParameter.equals(frame.key(irpArgument));
    }

    /**
     * For an expression that reads the major function of an IRP's current stack location, the IRP
     * argument of that IoGetCurrentIrpStackLocation call (through a local holding the location, or a
     * local copy of the function, never assigned again); {@code Boolean.FALSE} otherwise. Once per
     * expression.
     */
    private static Object majorSource(CtExpression<?> e) {
        if (!(e instanceof spoon.reflect.code.CtVariableRead<?>)) {
            return Boolean.FALSE;
        }
        return Resolve.memo(e.getFactory(), "majorSource", e, () -> {
            CtExpression<?> x = e;
            // a local that copied it ({@code int major = stack.MajorFunction;}) and was never assigned again
            if (x instanceof spoon.reflect.code.CtVariableRead<?> v && !(x instanceof CtFieldRead<?>)
                    && dev.dpccheck.analyzer.model.Resolve.variable(v.getVariable()) instanceof spoon.reflect.code.CtLocalVariable<?> l
                    && l.getDefaultExpression() instanceof CtFieldRead<?> && !Resolve.localAssigned(l)) {
                x = l.getDefaultExpression();
            }
            if (!(x instanceof CtFieldRead<?> f) || !f.getVariable().getSimpleName().equals("MajorFunction")) {
                return Boolean.FALSE;
            }
            CtExpression<?> target = f.getTarget();
            if (target instanceof spoon.reflect.code.CtVariableRead<?> v && !(target instanceof CtFieldRead<?>)
                    && dev.dpccheck.analyzer.model.Resolve.variable(v.getVariable()) instanceof spoon.reflect.code.CtLocalVariable<?> l
                    && !Resolve.localAssigned(l)) {
                target = l.getDefaultExpression();
            }
            return target instanceof CtInvocation<?> call && call.getArguments().size() == 1
                    && call.getExecutable().getSimpleName().equals("IoGetCurrentIrpStackLocation")
                    ? call.getArguments().get(0) : Boolean.FALSE;
        });
    }


    /** What an exit through node {@code n} returned: a Boolean, what the facts know of a returned local, or null. */
    private static Object returned(Node n, Results called, Facts facts) {
        if (!(n.element() instanceof CtReturn<?> ret) || ret.getReturnedExpression() == null) {
            return null;
        }
        CtExpression<?> e = ret.getReturnedExpression();
        Boolean b = valueOf(e, called, facts);
        if (b != null) {
            return b;
        }
        if (e instanceof spoon.reflect.code.CtVariableRead<?> v && !(e instanceof spoon.reflect.code.CtFieldRead<?>)) {
            Map<String, Boolean> about = facts.about(v.getVariable().getSimpleName());
            return about.isEmpty() ? null : about;
        }
        // 'return STATUS_RESET_IN_PROGRESS;': the caller's local that takes the result knows its value
        Map<String, Boolean> constant = n.memo("returnedConstant", () -> Facts.aboutConstant(e));
        return constant.isEmpty() ? null : constant;
    }

    /** The facts after a node: a local that stores a call's known result is a fact, as a literal is. */
    private static Facts afterNode(Node n, Facts facts, Results results) {
        Facts f = results.addFieldsTo(facts.after(n), n);
        if (results.calls.isEmpty()) {
            return f;
        }
        CtExpression<?> value = null;
        String local = null;
        if (n.element() instanceof spoon.reflect.code.CtLocalVariable<?> l && l.getDefaultExpression() != null) {
            value = l.getDefaultExpression();
            local = l.getSimpleName();
        } else if (n.element() instanceof spoon.reflect.code.CtAssignment<?, ?> a
                && a.getAssigned() instanceof spoon.reflect.code.CtVariableWrite<?> w
                && !(w instanceof spoon.reflect.code.CtFieldWrite<?>)) {
            value = a.getAssignment();
            local = w.getVariable().getSimpleName();
        }
        if (value == null) {
            return f;
        }
        Boolean v = valueOf(value, results, Facts.NONE);
        if (v != null) {
            return f.with(local, v);
        }
        if (value instanceof CtInvocation<?> && results.of(value) instanceof Map<?, ?> about) {
            @SuppressWarnings("unchecked")
            Map<String, Boolean> known = (Map<String, Boolean>) about;
            return f.withAbout(known, local);
        }
        return f;
    }

    private Set<Res<S>> transfer(Node n, S state, Frame frame, Facts known) {
        if (n.element() == null || n.kind() == Cfg.Kind.JOIN) {
            return Set.of(new Res<>(state, Results.NONE));
        }
        return apply(Events.items(n), Set.of(new Res<>(state, Results.NONE)), frame, known);
    }

    /** The states after the steps: events one after another, each arm of a choice on its own. */
    private Set<Res<S>> apply(List<Events.Item> items, Set<Res<S>> states, Frame frame, Facts fields) {
        Set<Res<S>> cur = states;
        for (Events.Item item : items) {
            Set<Res<S>> next = new LinkedHashSet<>();
            if (item instanceof Events.Event e) {
                for (Res<S> s : cur) {
                    for (Res<S> r : event(e.element(), s.state, frame, fields)) {
                        // a call walked into returns its value; what the earlier calls of the node returned stays known
                        Object v = r.results.of(null);
                        next.add(new Res<>(r.state, s.results.with(e.element(), v, r.results.fieldsOf(null))));
                    }
                }
            } else {
                for (List<Events.Item> arm : ((Events.Fork) item).arms()) {
                    next.addAll(apply(arm, cur, frame, fields));
                }
            }
            cur = next;
        }
        return cur;
    }

    /** The states after one event; for a call walked into, each exit with its returned value (under the key null). */
    private Set<Res<S>> event(CtElement e, S state, Frame frame, Facts fields) {
        S after = property.event(new Step(e, frame), state);
        if (!(e instanceof CtInvocation<?> call)) {
            return Set.of(new Res<>(after, Results.NONE));
        }
        if (WdmRoutine.of(call) != null) {
            if (call.getExecutable().getSimpleName().equals("KeSynchronizeExecution") && call.getArguments().size() == 3) {
                CtExecutable<?> synch = DriverModel.target(call.getArguments().get(1));
                if (synch != null) {
                    return enter(synch, call, after, frame, true, List.of(call.getArguments().get(2)), fields);
                }
            }
            return Set.of(new Res<>(after, Results.NONE));
        }
        CtExecutable<?> callee = Resolve.declaration(call.getExecutable());
        if (!DriverModel.fromSource(callee)) {
            return Set.of(new Res<>(after, Results.NONE));
        }
        return enter(callee, call, after, frame, frame.synch, call.getArguments(), fields);
    }

    /** What a renaming gives the callee's parameters that are objects (a count or an index is not one). */
    private static Map<String, String> objects(CtExecutable<?> callee, Map<String, String> renaming) {
        Map<String, String> out = new HashMap<>();
        for (spoon.reflect.declaration.CtParameter<?> p : callee.getParameters()) {
            if (p.getType() != null && !p.getType().isPrimitive() && renaming.containsKey(p.getSimpleName())) {
                out.put(p.getSimpleName(), renaming.get(p.getSimpleName()));
            }
        }
        return out;
    }

    /** Follows a call into {@code callee}, naming its parameters by the caller's arguments. */
    private Set<Res<S>> enter(CtExecutable<?> callee, CtInvocation<?> call, S state, Frame frame, boolean synch,
            List<CtExpression<?>> args, Facts known) {
        // only what the caller knew of the fields the callee touches: the rest cannot change what it does;
        // and the boolean parameters whose arguments are known (a helper called with true in one place, false in another)
        Facts fields = (known.size() == 0 ? known : known.fieldsOnly(FieldFacts.touchedFrom(callee)))
                .withArguments(callee, args, known);
        Map<String, String> renaming = new HashMap<>();
        for (int i = 0; i < callee.getParameters().size() && i < args.size(); i++) {
            String k = frame.key(args.get(i));
            if (k != null) {
                renaming.put(callee.getParameters().get(i).getSimpleName(), k);
            }
        }
        List<CtInvocation<?>> calls = new ArrayList<>(frame.calls);
        calls.add(call);
        Frame inner = new Frame(callee, frame.outerCall != null ? frame.outerCall : call, calls, synch, renaming);
        Entry entry = new Entry(new Same(callee), state, synch, renaming, fields);
        Map<String, String> objects = objects(callee, renaming);
        boolean recursive = false;
        boolean sameObjects = false;
        for (Entry e : entered) {
            if (e.callee.element == callee) {
                recursive = true;
                sameObjects |= objects(callee, e.renaming).equals(objects);
            }
        }
        if (recursive && !sameObjects) {
            // a recursion on other objects (the next IRP of a chain): its locals and arguments would take
            // the names of the outer activation's, so it is not followed; what it does to them is not known
            return Set.of(new Res<>(state, Results.NONE));
        }
        if (entered.contains(entry)) {
            // recursion: the exits found so far for this entry (none at first); the outer walk repeats until they settle
            assumedUsed.add(entry);
            return assumed.getOrDefault(entry, Set.of());
        }
        Memo memo = new Memo(new Same(callee), new Same(call), state, synch, new Same(inner.outerCall), renaming, fields);
        Set<Res<S>> done = inlined.get(memo);
        if (done != null) {
            return done;
        }
        entered.addLast(entry);
        Set<Res<S>> exits;
        try {
            for (int round = 1;; round++) {
                int stored = inlinedOrder.size();
                // the callee starts with what the caller knew of fields; what it knows at its exits replaces that
                exits = walk(callee, Set.of(state), inner, false, fields);
                if (!assumedUsed.remove(entry)) {
                    break;
                }
                Set<Res<S>> before = assumed.put(entry, exits);
                if (exits.equals(before == null ? Set.of() : before) || budget < 0) {
                    break;
                }
                if (round == MAX_ROUNDS) {
                    stoppedShort.accept(callee, "its recursion does not settle within " + MAX_ROUNDS + " rounds");
                    break;
                }
                // what was walked under the old assumption is walked again under the new one
                for (Memo m : inlinedOrder.subList(stored, inlinedOrder.size())) {
                    inlined.remove(m);
                }
                inlinedOrder.subList(stored, inlinedOrder.size()).clear();
            }
        } finally {
            entered.removeLast();
            assumed.remove(entry);
        }
        if (exits.isEmpty()) {
            exits = Set.of(new Res<>(state, Results.NONE));
        }
        inlined.put(memo, exits);
        inlinedOrder.add(memo);
        return exits;
    }

}
