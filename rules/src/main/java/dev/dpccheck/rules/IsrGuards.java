package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.FieldFacts;
import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import spoon.reflect.code.BinaryOperatorKind;
import spoon.reflect.code.CtAssignment;
import spoon.reflect.code.CtBinaryOperator;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFieldAccess;
import spoon.reflect.code.CtFieldRead;
import spoon.reflect.code.CtFieldWrite;
import spoon.reflect.code.CtLiteral;
import spoon.reflect.code.CtOperatorAssignment;
import spoon.reflect.code.CtUnaryOperator;
import spoon.reflect.code.UnaryOperatorKind;
import spoon.reflect.declaration.CtElement;

/**
 * When the ISR touches what it touches: the flags that must hold for it to get there. An ISR that
 * returns early unless an operation is in progress ({@code if (!ext.Busy) return false;}, {@code if
 * (ext.CurrentIrp == null) return false;}) touches the operation's context only while the flag
 * holds, and an ISR that clears the flag before it queues its DPC has handed the context over to
 * that DPC. A guard is an atom: a boolean field that is true ({@code Busy}) or a reference field
 * that is not null ({@code CurrentIrp!=null}), keyed by the field's declaration.
 *
 * <p>What is computed, over every path of every ISR and the helpers it calls: for each field the
 * ISR touches, the atoms that hold at every one of its accesses (never an atom of the field
 * itself); and the atoms that are known not to hold, because the ISR wrote false or null, at every
 * call that queues a DPC. Other routines use the first to know that an access cannot meet the ISR
 * (the atom is known not to hold where they make it), and the second as what a DPC the ISR queued
 * may take for granted when it starts.
 */
final class IsrGuards {
    /** What holds on one path: atoms known to hold, atoms known not to. */
    record State(TreeSet<String> on, TreeSet<String> off) {
    }

    /** The atoms that hold at every ISR access of a field, by field key. */
    private final Map<String, TreeSet<String>> guards = new TreeMap<>();
    /** By driver: the atoms known not to hold at every DPC queue call of its ISRs. */
    private final Map<String, TreeSet<String>> offAtQueue = new TreeMap<>();

    private IsrGuards() {
    }

    static IsrGuards of(Analysis analysis) {
        return analysis.cached("isrGuards", () -> {
            IsrGuards g = new IsrGuards();
            PathEngine.run(analysis.driver(), g.new Walk(analysis), analysis::cfg, analysis::stoppedShort);
            return g;
        });
    }

    /** Whether the ISR cannot touch {@code field} while the atoms in {@code off} do not hold. */
    boolean excluded(String field, Set<String> off) {
        TreeSet<String> g = guards.get(field);
        if (g == null || off.isEmpty()) {
            return false;
        }
        for (String atom : g) {
            if (off.contains(atom)) {
                return true;
            }
        }
        return false;
    }

    /** The atoms known not to hold whenever an ISR of {@code driver} queues a DPC (empty when none does). */
    TreeSet<String> offAtQueue(String driver) {
        return new TreeSet<>(offAtQueue.getOrDefault(driver, new TreeSet<>()));
    }

    /** Every atom some ISR access is guarded by. */
    Set<String> atoms() {
        TreeSet<String> all = new TreeSet<>();
        guards.values().forEach(all::addAll);
        return all;
    }

    /** The atom a condition tests and whether the outcome makes it hold, or null: {@code Busy}, {@code !Busy}, {@code Irp != null}. */
    static Map.Entry<String, Boolean> atom(CtExpression<?> condition, boolean outcome) {
        if (condition instanceof CtUnaryOperator<?> u && u.getKind() == UnaryOperatorKind.NOT) {
            return atom(u.getOperand(), !outcome);
        }
        if (condition instanceof CtFieldRead<?> f && FieldFacts.driverField(f.getVariable())
                && f.getType() != null && f.getType().getSimpleName().equals("boolean")) {
            return Map.entry(FieldFacts.key(f.getVariable()), outcome);
        }
        if (condition instanceof CtBinaryOperator<?> b
                && (b.getKind() == BinaryOperatorKind.EQ || b.getKind() == BinaryOperatorKind.NE)) {
            CtExpression<?> field = isNull(b.getRightHandOperand()) ? b.getLeftHandOperand()
                    : isNull(b.getLeftHandOperand()) ? b.getRightHandOperand() : null;
            if (field instanceof CtFieldRead<?> f && FieldFacts.driverField(f.getVariable())) {
                return Map.entry(FieldFacts.key(f.getVariable()) + "!=null", (b.getKind() == BinaryOperatorKind.NE) == outcome);
            }
        }
        return null;
    }

    /**
     * What a field access writes for the atoms of its field: the atom known not to hold after
     * {@code x.F = false} or {@code x.F = null} (value false), known to hold after {@code x.F = true}
     * (value true); null for a read. Any other write makes the atoms of the field unknown: the
     * entry's value is then null.
     */
    static Map.Entry<String, Boolean> written(CtFieldAccess<?> access) {
        if (!(access instanceof CtFieldWrite<?>) || !(access.getParent() instanceof CtAssignment<?, ?> a)
                || a.getAssigned() != access) {
            return null;
        }
        String key = FieldFacts.key(access.getVariable());
        if (!(a instanceof CtOperatorAssignment<?, ?>) && a.getAssignment() instanceof CtLiteral<?> lit) {
            if (lit.getValue() == null) {
                return Map.entry(key + "!=null", false);
            }
            if (lit.getValue() instanceof Boolean b) {
                return Map.entry(key, b);
            }
        }
        return new java.util.AbstractMap.SimpleEntry<>(key, null);
    }

    /** The atoms without those of {@code field}. */
    static TreeSet<String> without(TreeSet<String> atoms, String field) {
        TreeSet<String> out = new TreeSet<>(atoms);
        out.remove(field);
        out.remove(field + "!=null");
        return out;
    }

    /** The field an atom is about. */
    static String fieldOf(String atom) {
        return atom.endsWith("!=null") ? atom.substring(0, atom.length() - "!=null".length()) : atom;
    }

    /**
     * The atoms in {@code atoms} after the atom of the entry became known to hold ({@code holds}
     * true) or not to hold (false), or unknown (null): those of the field go, and the atom comes
     * back when it has the given truth.
     */
    static TreeSet<String> after(TreeSet<String> atoms, Map.Entry<String, Boolean> atom, boolean holds) {
        TreeSet<String> out = without(atoms, fieldOf(atom.getKey()));
        if (atom.getValue() != null && atom.getValue() == holds) {
            out.add(atom.getKey());
        }
        return out;
    }

    private static boolean isNull(CtExpression<?> e) {
        return e instanceof CtLiteral<?> l && l.getValue() == null;
    }

    /** The walk over the ISR's paths. */
    private final class Walk implements PathEngine.Property<State> {
        private final Analysis analysis;

        Walk(Analysis analysis) {
            this.analysis = analysis;
        }

        @Override
        public State initial(DriverModel.Routine routine) {
            return routine.role() == Role.ISR ? new State(new TreeSet<>(), new TreeSet<>()) : null;
        }

        @Override
        public State event(PathEngine<State>.Step step, State s) {
            CtElement e = step.element();
            if (Wdm.calls(e, "IoRequestDpc", "KeInsertQueueDpc")) {
                offAtQueue.computeIfAbsent(DriverModel.driverOf(step.routine().body()), d -> new TreeSet<>(s.off))
                        .retainAll(s.off);
                // handed over: what the ISR lowered no longer guards what it touches next
                TreeSet<String> on = new TreeSet<>(s.on);
                on.removeAll(s.off);
                return new State(on, s.off);
            }
            if (!(e instanceof CtFieldAccess<?> a) || !FieldFacts.driverField(a.getVariable())) {
                return s;
            }
            String field = FieldFacts.key(a.getVariable());
            TreeSet<String> on = without(s.on, field);
            TreeSet<String> previous = guards.get(field);
            if (previous == null) {
                guards.put(field, on);
            } else {
                previous.retainAll(on);
            }
            Map.Entry<String, Boolean> w = written(a);
            if (w == null) {
                return s;
            }
            if (w.getValue() == Boolean.FALSE && s.on.contains(w.getKey())) {
                // the ISR lowers the flag it runs under: until it queues the DPC nothing else can start, so what
                // it touches in between is still its own
                return new State(s.on, after(s.off, w, false));
            }
            return set(s, w);
        }

        @Override
        public State branch(CtExpression<?> condition, boolean outcome, PathEngine<State>.Step step, State s) {
            Map.Entry<String, Boolean> atom = atom(condition, outcome);
            return atom == null ? s : set(s, atom);
        }

        private State set(State s, Map.Entry<String, Boolean> atom) {
            return new State(after(s.on, atom, true), after(s.off, atom, false));
        }
    }
}
