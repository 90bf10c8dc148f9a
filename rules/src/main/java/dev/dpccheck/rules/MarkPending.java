package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.WdmRoutine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.List;
import java.util.TreeMap;
import spoon.reflect.code.CtConditional;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFieldRead;
import spoon.reflect.code.CtInvocation;
import spoon.reflect.code.CtLocalVariable;
import spoon.reflect.code.CtReturn;
import spoon.reflect.code.CtVariableRead;
import spoon.reflect.code.CtVariableWrite;
import spoon.reflect.declaration.CtElement;
import spoon.reflect.declaration.CtExecutable;

/**
 * A dispatch routine's IoMarkIrpPending and its return value, on each path. Checks MarkIrpPending.
 * The value returned is followed through the routine's locals ({@code status = STATUS_PENDING} on
 * one branch, {@code return status}) and through the helpers whose result they hold: a helper that
 * may return STATUS_PENDING ({@code return samples > 0 ? STATUS_SUCCESS : STATUS_PENDING}) makes
 * its result possibly pending.
 */
final class MarkPending implements PathEngine.Property<MarkPending.State> {
    /**
     * What a status value is on a path: STATUS_PENDING, possibly so, or certainly another status;
     * UNKNOWN only as a helper's result, for a value it returned that is not known.
     */
    enum Value { PENDING, MAYBE, OTHER, UNKNOWN }

    /**
     * @param marked whether IoMarkIrpPending marked the routine's IRP
     * @param locals what is known of the status locals, the routine's and its helpers' ({@link Wdm#scoped}), and
     *     (under {@link #HOLDS}) the fields of locals' objects that hold the routine's IRP;
     *     a local not in it may hold anything
     * @param result what the helper that returned last returned on this path (null: not known)
     */
    record State(boolean marked, TreeMap<String, Value> locals, Value result) {
        // written out: the generated methods go through method handles, slow in the client compiler
        @Override
        public boolean equals(Object o) {
            return o instanceof State x && x.marked == marked && x.result == result && x.locals.equals(locals);
        }

        @Override
        public int hashCode() {
            return (locals.hashCode() * 31 + (result == null ? 0 : result.ordinal() + 1)) * 2 + (marked ? 1 : 0);
        }

        State with(String local, Value v) {
            TreeMap<String, Value> m = new TreeMap<>(locals);
            if (v == null) {
                m.remove(local);
            } else {
                m.put(local, v);
            }
            return m.equals(locals) ? this : new State(marked, m, result);
        }

        State result(Value v) {
            return v == result ? this : new State(marked, locals, v);
        }
    }

    private final Analysis analysis;

    private MarkPending(Analysis analysis) {
        this.analysis = analysis;
    }

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return EngineRule.once(analysis, "MarkPending", () -> new MarkPending(analysis));
    }

    @Override
    public State initial(DriverModel.Routine routine) {
        return routine.role() == Role.DISPATCH ? new State(false, new TreeMap<>(), null) : null;
    }

    @Override
    public State event(PathEngine<State>.Step step, State in) {
        CtElement e = step.element();
        // what the last helper returned is for the event right after its call (the write of its result) only:
        // kept longer, it would keep apart paths that differ in nothing else
        Value result = in.result;
        State s = in.result(null);
        // IoCsqInsertIrp marks the IRP it queues pending itself
        if (Wdm.calls(e, "IoMarkIrpPending", "IoCsqInsertIrp")) {
            List<?> params = step.routine().body().getParameters();
            String irp = params.size() == 2 ? ((spoon.reflect.declaration.CtParameter<?>) params.get(1)).getSimpleName()
                    : null;
            String marked = step.key(Wdm.arg(e, Wdm.calls(e, "IoCsqInsertIrp") ? 1 : 0));
            if (irp == null || irp.equals(marked) || s.locals.get(HOLDS + marked) == Value.OTHER) {
                return new State(true, s.locals, s.result);
            }
            return s;
        }
        if (e instanceof spoon.reflect.code.CtFieldWrite<?> w && w.getTarget() instanceof CtVariableRead<?>
                && w.getParent() instanceof spoon.reflect.code.CtAssignment<?, ?> a && a.getAssigned() == w
                && a.getAssignment() instanceof CtVariableRead<?> v && !(v instanceof CtFieldRead<?>)
                && v.getVariable().getSimpleName().equals(irpParameter(step)) && step.body() == step.routine().body()) {
            // the routine's IRP stored in a field of a local's object ({@code waiter.Irp = Irp}): that field names it
            return s.with(HOLDS + step.key(w), Value.OTHER);
        }
        CtExecutable<?> callee = e instanceof CtInvocation<?> c && WdmRoutine.of(c) == null
                ? Analysis.declaration(c.getExecutable()) : null;
        if (callee != null && callee.getBody() != null && returnsParameter(callee)) {
            CtInvocation<?> call = (CtInvocation<?>) e;
            // walked into next: a helper that returns a status it is handed ({@code return status;}) returns
            // what this call hands it
            String at = "@" + DriverModel.positionKey(callee);
            for (int i = 0; i < callee.getParameters().size() && i < call.getArguments().size(); i++) {
                s = s.with(callee.getParameters().get(i).getSimpleName() + at, value(call.getArguments().get(i), s, step));
            }
            return s;
        }
        if (e instanceof CtLocalVariable<?> l) {
            return !statusLocal(l) ? s : s.with(Wdm.scoped(step, l.getSimpleName()),
                    l.getDefaultExpression() == null ? null : value(l.getDefaultExpression(), s.result(result), step));
        }
        if (e instanceof CtVariableWrite<?> w && !(e instanceof spoon.reflect.code.CtFieldWrite<?>)
                && Analysis.variable(w.getVariable()) instanceof CtLocalVariable<?> l && statusLocal(l)) {
            boolean plain = w.getParent() instanceof spoon.reflect.code.CtAssignment<?, ?> a && a.getAssigned() == w
                    && !(a instanceof spoon.reflect.code.CtOperatorAssignment<?, ?>);
            return s.with(Wdm.scoped(step, w.getVariable().getSimpleName()), plain
                    ? value(((spoon.reflect.code.CtAssignment<?, ?>) w.getParent()).getAssignment(), s.result(result), step)
                    : null);
        }
        return s;
    }

    /** The prefix of the keys under which {@link State#locals} notes the fields that hold the routine's IRP. */
    private static final String HOLDS = "holds the IRP: ";

    /** The name of the dispatch routine's IRP parameter, or null. */
    private static String irpParameter(PathEngine<State>.Step step) {
        List<?> params = step.routine().body().getParameters();
        return params.size() == 2 ? ((spoon.reflect.declaration.CtParameter<?>) params.get(1)).getSimpleName() : null;
    }

    /** Whether a helper returns one of its int parameters as it is ({@code return status;}). */
    private boolean returnsParameter(CtExecutable<?> helper) {
        return analysis.memo("returnsParameter", helper, () -> {
            for (CtReturn<?> r : Analysis.elementsIn(helper, CtReturn.class)) {
                if (r.getReturnedExpression() instanceof CtVariableRead<?> v && !(v instanceof CtFieldRead<?>)
                        && Analysis.variable(v.getVariable()) instanceof spoon.reflect.declaration.CtParameter<?> p
                        && p.getType() != null && p.getType().getSimpleName().equals("int")) {
                    return true;
                }
            }
            return false;
        });
    }

    /**
     * Whether a local is a status worth following: its method returns it ({@code return status;}),
     * or compares it with STATUS_PENDING. A loop counter or a length is not, and following it
     * would only keep paths apart.
     */
    private boolean statusLocal(CtLocalVariable<?> l) {
        return analysis.memo("statusLocal", l, () -> {
            CtExecutable<?> in = l.getParent(CtExecutable.class);
            if (in == null || l.getType() == null || !l.getType().getSimpleName().equals("int")) {
                return false;
            }
            for (CtVariableRead<?> r : Analysis.elementsIn(in, CtVariableRead.class)) {
                if (r instanceof CtFieldRead<?> || Analysis.variable(r.getVariable()) != l) {
                    continue;
                }
                if (r.getParent() instanceof CtReturn<?>
                        || r.getParent() instanceof spoon.reflect.code.CtBinaryOperator<?> b
                        && (constant(b.getLeftHandOperand()) == Value.PENDING
                        || constant(b.getRightHandOperand()) == Value.PENDING)) {
                    return true;
                }
            }
            return false;
        });
    }

    /**
     * On a branch of {@code status == C} (or {@code !=}) for a status local whose value is known
     * (possibly pending counts): C itself where equal; where not equal to STATUS_PENDING, another
     * status; a branch the known value rules out is impossible.
     */
    @Override
    public State branch(CtExpression<?> condition, boolean outcome, PathEngine<State>.Step step, State s) {
        if (!(condition instanceof spoon.reflect.code.CtBinaryOperator<?> b)
                || b.getKind() != spoon.reflect.code.BinaryOperatorKind.EQ
                && b.getKind() != spoon.reflect.code.BinaryOperatorKind.NE
                || !(b.getLeftHandOperand() instanceof CtVariableRead<?> v) || v instanceof CtFieldRead<?>) {
            return s;
        }
        Value c = constant(b.getRightHandOperand());
        String local = Wdm.scoped(step, v.getVariable().getSimpleName());
        if (c == null || !s.locals.containsKey(local)) {
            // what a test alone says of a value not known is not taken: the branch may never run
            return s;
        }
        boolean equal = outcome == (b.getKind() == spoon.reflect.code.BinaryOperatorKind.EQ);
        Value known = s.locals.get(local);
        if (c == Value.PENDING) {
            if (known == (equal ? Value.OTHER : Value.PENDING)) {
                return null;
            }
            return s.with(local, equal ? Value.PENDING : Value.OTHER);
        }
        // equal to another status: not pending; not equal to it: nothing more is known
        if (equal && known == Value.PENDING) {
            return null;
        }
        return equal ? s.with(local, Value.OTHER) : s;
    }

    @Override
    public State returned(PathEngine<State>.Step step, State s) {
        if (step.body().getType() == null || !step.body().getType().getSimpleName().equals("int")) {
            return s;
        }
        Value v = step.element() instanceof CtReturn<?> r && r.getReturnedExpression() != null
                ? value(r.getReturnedExpression(), s, step) : null;
        return s.result(v == null ? Value.UNKNOWN : v);
    }

    /** What {@code e}, in the code {@code step} is in, is as a status on this path; null when it is not known. */
    private Value value(CtExpression<?> e, State s, PathEngine<State>.Step step) {
        if (e instanceof CtConditional<?> c) {
            return join(value(c.getThenExpression(), s, step), value(c.getElseExpression(), s, step));
        }
        if (e instanceof CtVariableRead<?> v && !(e instanceof CtFieldRead<?>)) {
            return s.locals.get(Wdm.scoped(step, v.getVariable().getSimpleName()));
        }
        if (e instanceof CtInvocation<?> call && WdmRoutine.of(call) == null) {
            // the exit of the helper this path took, where the walk went into it; else all its exits at once
            if (s.result != null) {
                return s.result == Value.UNKNOWN ? null : s.result;
            }
            CtExecutable<?> callee = Analysis.declaration(call.getExecutable());
            return callee == null || callee.getBody() == null ? null : returns(callee);
        }
        return constant(e);
    }

    private static Value constant(CtExpression<?> e) {
        if (!(WdmRoutine.constant(e) instanceof Integer status)) {
            return null;
        }
        return status == dev.dpccheck.wdm.Wdm.STATUS_PENDING ? Value.PENDING : Value.OTHER;
    }

    /** Both: the same when they agree, possibly pending when either may be, else not known. */
    private static Value join(Value a, Value b) {
        if (a == b) {
            return a;
        }
        return a == Value.PENDING || b == Value.PENDING || a == Value.MAYBE || b == Value.MAYBE ? Value.MAYBE : null;
    }

    /**
     * What a helper returns, from every return statement at once (a local it returns, from every
     * value the helper gives it): PENDING or OTHER when they all agree, MAYBE when one may be
     * STATUS_PENDING, null when not known. Once per helper; a helper that is being worked out (a
     * recursion) is not known.
     */
    private Value returns(CtExecutable<?> helper) {
        return analysis.memo("returnsStatus", helper, () -> {
            java.util.Set<CtElement> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            return returns(helper, seen);
        }).orElse(null);
    }

    private java.util.Optional<Value> returns(CtExecutable<?> helper, java.util.Set<CtElement> seen) {
        if (!seen.add(helper)) {
            return java.util.Optional.empty();
        }
        Value all = null;
        boolean first = true;
        for (CtReturn<?> r : Analysis.elementsIn(helper, CtReturn.class)) {
            if (r.getParent(CtExecutable.class) != helper || r.getReturnedExpression() == null) {
                continue;
            }
            Value v = anyValue(r.getReturnedExpression(), seen, 0);
            all = first ? v : join(all, v);
            first = false;
            if (all == null) {
                break;
            }
        }
        return java.util.Optional.ofNullable(all);
    }

    /** What an expression of a helper may be, whatever the path: through its locals' every value. */
    private Value anyValue(CtExpression<?> e, java.util.Set<CtElement> seen, int depth) {
        if (e instanceof CtConditional<?> c) {
            return join(anyValue(c.getThenExpression(), seen, depth), anyValue(c.getElseExpression(), seen, depth));
        }
        if (e instanceof CtVariableRead<?> v && !(e instanceof CtFieldRead<?>)) {
            if (depth > 4 || !(Analysis.variable(v.getVariable()) instanceof CtLocalVariable<?> l)) {
                return null;
            }
            Value all = null;
            boolean first = true;
            for (CtExpression<?> x : Constants.assignments(l)) {
                Value one = anyValue(x, seen, depth + 1);
                all = first ? one : join(all, one);
                first = false;
            }
            return all;
        }
        if (e instanceof CtInvocation<?> call && WdmRoutine.of(call) == null) {
            CtExecutable<?> callee = Analysis.declaration(call.getExecutable());
            return callee == null || callee.getBody() == null ? null : returns(callee, seen).orElse(null);
        }
        return constant(e);
    }

    @Override
    public void exit(PathEngine<State>.Exit exit, State s) {
        CtReturn<?> r = exit.returnStatement();
        if (r == null || r.getReturnedExpression() == null) {
            return;
        }
        Value value = value(r.getReturnedExpression(), s, null);
        if (value == null) {
            return;
        }
        if (value != Value.OTHER && !s.marked) {
            exit.report("MarkIrpPending", Wdm.routineName(exit.routine()) + " returns 'STATUS_PENDING'"
                    + (value == Value.MAYBE ? ", on some runs," : "") + " on a path without 'IoMarkIrpPending'.");
        } else if (value == Value.OTHER && s.marked) {
            exit.report("MarkIrpPending", Wdm.routineName(exit.routine())
                    + " calls 'IoMarkIrpPending' and returns another status than 'STATUS_PENDING'.");
        }
    }
}
