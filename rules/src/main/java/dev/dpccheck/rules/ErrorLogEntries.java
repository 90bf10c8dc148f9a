package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.List;
import java.util.TreeMap;
import spoon.reflect.code.BinaryOperatorKind;
import spoon.reflect.code.CtBinaryOperator;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFieldAccess;
import spoon.reflect.code.CtLiteral;
import spoon.reflect.code.CtLocalVariable;
import spoon.reflect.code.CtVariableRead;
import spoon.reflect.declaration.CtElement;

/**
 * Error log entries: what IoAllocateErrorLogEntry returns may be null and must be checked before
 * it is used, and an entry handed to IoWriteErrorLogEntry belongs to the system. Checks
 * ErrorLogEntryUnchecked.
 */
final class ErrorLogEntries implements PathEngine.Property<ErrorLogEntries.State> {
    enum Entry { UNCHECKED, CHECKED, NULL, WRITTEN }

    record State(TreeMap<String, Entry> entries) {
        State with(String var, Entry e) {
            TreeMap<String, Entry> m = new TreeMap<>(entries);
            m.put(var, e);
            return new State(m);
        }
    }

    private final Analysis analysis;

    private ErrorLogEntries(Analysis analysis) {
        this.analysis = analysis;
    }

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return EngineRule.once(analysis, "ErrorLogEntries", () -> new ErrorLogEntries(analysis));
    }

    @Override
    public State initial(DriverModel.Routine routine) {
        return analysis.calls("IoAllocateErrorLogEntry", routine.body()) ? new State(new TreeMap<>()) : null;
    }

    @Override
    public State event(PathEngine<State>.Step step, State s) {
        CtElement e = step.element();
        if (e instanceof CtLocalVariable<?> l) {
            if (Wdm.calls(l.getDefaultExpression(), "IoAllocateErrorLogEntry")) {
                return s.with(l.getSimpleName(), Entry.UNCHECKED);
            }
            return s.entries.containsKey(l.getSimpleName()) ? s.with(l.getSimpleName(), Entry.CHECKED) : s;
        }
        if (e instanceof spoon.reflect.code.CtVariableWrite<?> w && !(e instanceof CtFieldAccess<?>)
                && w.getParent() instanceof spoon.reflect.code.CtAssignment<?, ?> a) {
            String var = w.getVariable().getSimpleName();
            if (Wdm.calls(a.getAssignment(), "IoAllocateErrorLogEntry")) {
                return s.with(var, Entry.UNCHECKED);
            }
            if (s.entries.containsKey(var)) {
                TreeMap<String, Entry> m = new TreeMap<>(s.entries);
                m.remove(var);
                return new State(m);
            }
            return s;
        }
        if (e instanceof CtFieldAccess<?> a && a.getTarget() instanceof CtVariableRead<?> v) {
            String var = v.getVariable().getSimpleName();
            return s.entries.containsKey(var) ? use(step, s, var, "'" + a + "' is used") : s;
        }
        if (Wdm.calls(e, "IoWriteErrorLogEntry") && Wdm.arg(e, 0) instanceof CtVariableRead<?> v) {
            String var = v.getVariable().getSimpleName();
            State after = use(step, s, var, "'IoWriteErrorLogEntry' is given '" + var + "'");
            return after.entries.containsKey(var) ? after.with(var, Entry.WRITTEN) : after;
        }
        return s;
    }

    private static State use(PathEngine<State>.Step step, State s, String var, String what) {
        Entry e = s.entries.get(var);
        if (e == Entry.UNCHECKED) {
            step.report("ErrorLogEntryUnchecked", what + " before the result of 'IoAllocateErrorLogEntry' is checked"
                    + " for null.");
            return s.with(var, Entry.CHECKED);
        }
        if (e == Entry.WRITTEN) {
            step.report("ErrorLogEntryUnchecked", what + " after 'IoWriteErrorLogEntry' handed it to the system.");
        }
        return s;
    }

    @Override
    public State branch(CtExpression<?> condition, boolean outcome, PathEngine<State>.Step step, State s) {
        if (condition instanceof CtBinaryOperator<?> b && (b.getKind() == BinaryOperatorKind.EQ
                || b.getKind() == BinaryOperatorKind.NE)) {
            CtExpression<?> var = isNull(b.getRightHandOperand()) ? b.getLeftHandOperand()
                    : isNull(b.getLeftHandOperand()) ? b.getRightHandOperand() : null;
            if (var instanceof CtVariableRead<?> v && s.entries.get(v.getVariable().getSimpleName()) == Entry.UNCHECKED) {
                boolean isNull = (b.getKind() == BinaryOperatorKind.EQ) == outcome;
                return s.with(v.getVariable().getSimpleName(), isNull ? Entry.NULL : Entry.CHECKED);
            }
        }
        return s;
    }

    private static boolean isNull(CtExpression<?> e) {
        return e instanceof CtLiteral<?> l && l.getValue() == null;
    }
}
