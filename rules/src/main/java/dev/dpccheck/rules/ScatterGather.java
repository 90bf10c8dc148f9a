package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.FieldFacts;
import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import spoon.reflect.code.BinaryOperatorKind;
import spoon.reflect.code.CtAssignment;
import spoon.reflect.code.CtBinaryOperator;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFieldRead;
import spoon.reflect.code.CtFieldWrite;
import spoon.reflect.code.CtInvocation;
import spoon.reflect.code.CtLiteral;
import spoon.reflect.code.CtLocalVariable;
import spoon.reflect.code.CtUnaryOperator;
import spoon.reflect.code.CtVariableRead;
import spoon.reflect.code.CtVariableWrite;
import spoon.reflect.code.UnaryOperatorKind;
import spoon.reflect.declaration.CtElement;
import spoon.reflect.declaration.CtParameter;
import spoon.reflect.visitor.filter.TypeFilter;

/**
 * Scatter/gather lists as resources: the list GetScatterGatherList hands to the driver's
 * ExecutionRoutine (a DriverListControl) is kept in a field of the driver's ({@code
 * tcb.SgList = ScatterGather}) until the transfer is done, and must be given back with
 * PutScatterGatherList. On each path of a routine that gives lists back, each such field, and each
 * local a list was taken into, may still hold a list (unless the path tested it against null or
 * put it back); in a DPC the fields may hold a list at the start (a transfer ended), elsewhere
 * not. Checks DmaResourceLeak: a routine that returns with a list taken into a local and not put
 * back, on a path where it is not null. A field overwritten with its list not given back is not
 * reported: the field stands for the list of every request alike.
 */
final class ScatterGather implements PathEngine.Property<ScatterGather.State> {
    enum Held { MAYBE, GONE }

    /**
     * @param held what each slot (a field by its key, or a local) holds
     * @param fieldsHeld what a field not in {@code held} holds: MAYBE in a DPC (a transfer ended), GONE elsewhere
     *        (a dispatch routine or StartIo has not been given a list yet)
     */
    record State(TreeMap<String, Held> held, Held fieldsHeld) {
        State with(String slot, Held h) {
            TreeMap<String, Held> m = new TreeMap<>(held);
            m.put(slot, h);
            return new State(m, fieldsHeld);
        }

        Held of(String slot) {
            return held.getOrDefault(slot, slot.startsWith(FIELD) ? fieldsHeld : Held.GONE);
        }
    }

    private static final String FIELD = "field:";
    private final Analysis analysis;

    private ScatterGather(Analysis analysis) {
        this.analysis = analysis;
    }

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return EngineRule.once(analysis, "ScatterGather", () -> new ScatterGather(analysis));
    }

    /** The fields the driver's ExecutionRoutines store the scatter/gather list they are given in, by key. */
    private Set<String> listFields() {
        return analysis.cached("scatterGatherFields", () -> {
            Set<String> out = new TreeSet<>();
            for (DriverModel.Routine r : analysis.driver().routines()) {
                if (r.role() != Role.LIST_CONTROL || r.body().getParameters().size() < 3) {
                    continue;
                }
                CtParameter<?> list = r.body().getParameters().get(2);
                for (CtAssignment<?, ?> a : dev.dpccheck.analyzer.spi.Analysis.elementsIn(r.body(), CtAssignment.class)) {
                    if (a.getAssigned() instanceof CtFieldWrite<?> w && a.getAssignment() instanceof CtVariableRead<?> v
                            && list.getReference().equals(v.getVariable())) {
                        out.add(FieldFacts.key(w.getVariable()));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public State initial(DriverModel.Routine routine) {
        if (listFields().isEmpty() || routine.role() == Role.LIST_CONTROL || routine.role() == Role.DRIVER_ENTRY
                || routine.role() == Role.ADD_DEVICE
                || !Wdm.reaches(analysis, routine.body(), true, "PutScatterGatherList")) {
            return null;
        }
        return new State(new TreeMap<>(), routine.role().isDpc() || routine.role() == Role.IO_TIMER ? Held.MAYBE
                : Held.GONE);
    }

    /** The slot an expression names: a list field's key, or a local's name at the routine's level; null otherwise. */
    private String slot(PathEngine<State>.Step step, CtExpression<?> e) {
        if (e instanceof CtFieldRead<?> f && FieldFacts.driverField(f.getVariable())
                && listFields().contains(FieldFacts.key(f.getVariable()))) {
            return FIELD + FieldFacts.key(f.getVariable());
        }
        if (e instanceof CtVariableRead<?> v && !(e instanceof CtFieldRead<?>)
                && dev.dpccheck.analyzer.spi.Analysis.variable(v.getVariable()) instanceof CtLocalVariable<?>) {
            return step.key(e);
        }
        return null;
    }

    @Override
    public State event(PathEngine<State>.Step step, State s) {
        CtElement e = step.element();
        if (e instanceof CtLocalVariable<?> l) {
            return taken(step, s, l.getSimpleName(), l.getDefaultExpression());
        }
        if (e instanceof CtVariableWrite<?> w && !(e instanceof CtFieldWrite<?>)
                && w.getParent() instanceof CtAssignment<?, ?> a && a.getAssigned() == w) {
            return taken(step, s, w.getVariable().getSimpleName(), a.getAssignment());
        }
        if (e instanceof CtFieldWrite<?> w && w.getParent() instanceof CtAssignment<?, ?> a && a.getAssigned() == w
                && listFields().contains(FieldFacts.key(w.getVariable()))) {
            // what the field held before is not followed: the field stands for the list of every slot and request
            // alike, and one of them being cleared says nothing of another
            return s.with(FIELD + FieldFacts.key(w.getVariable()), Held.GONE);
        }
        if (Wdm.calls(e, "PutScatterGatherList") && ((CtInvocation<?>) e).getArguments().size() >= 2) {
            String slot = slot(step, ((CtInvocation<?>) e).getArguments().get(1));
            return slot == null ? s : s.with(slot, Held.GONE);
        }
        return s;
    }

    /** A local that takes a list field's value holds the list now; the field gives it up. */
    private State taken(PathEngine<State>.Step step, State s, String local, CtExpression<?> value) {
        String from = value == null ? null : slot(step, value);
        if (from == null || !from.startsWith(FIELD)) {
            return s.held.containsKey(local) ? s.with(local, Held.GONE) : s;
        }
        return s.with(local, s.of(from)).with(from, Held.GONE);
    }

    @Override
    public State branch(CtExpression<?> condition, boolean outcome, PathEngine<State>.Step step, State s) {
        if (condition instanceof CtUnaryOperator<?> u && u.getKind() == UnaryOperatorKind.NOT) {
            return branch(u.getOperand(), !outcome, step, s);
        }
        if (condition instanceof CtBinaryOperator<?> b && (b.getKind() == BinaryOperatorKind.EQ
                || b.getKind() == BinaryOperatorKind.NE)) {
            CtExpression<?> other = isNull(b.getRightHandOperand()) ? b.getLeftHandOperand()
                    : isNull(b.getLeftHandOperand()) ? b.getRightHandOperand() : null;
            String slot = other == null ? null : slot(step, other);
            boolean isNull = (b.getKind() == BinaryOperatorKind.EQ) == outcome;
            if (slot != null && isNull) {
                return s.with(slot, Held.GONE);
            }
        }
        return s;
    }

    @Override
    public void exit(PathEngine<State>.Exit exit, State s) {
        for (Map.Entry<String, Held> h : s.held.entrySet()) {
            if (!h.getKey().startsWith(FIELD) && h.getValue() == Held.MAYBE) {
                exit.report("DmaResourceLeak", Wdm.routineName(exit.routine()) + " returns without giving back"
                        + " the scatter/gather list taken into '" + h.getKey() + "' with 'PutScatterGatherList'.");
                return;
            }
        }
    }

    private static boolean isNull(CtExpression<?> e) {
        return e instanceof CtLiteral<?> l && l.getValue() == null;
    }
}
