package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.List;
import java.util.TreeMap;
import spoon.reflect.declaration.CtElement;

/**
 * The spin locks a routine holds on each path, counted. Checks SpinLock (acquired twice, released when not
 * held, held when the routine returns) and SpinLockSafe (IoStartNextPacket or IoCompleteRequest
 * with a spin lock held).
 */
final class LockSet implements PathEngine.Property<LockSet.State> {
    /** How many times each lock is held on the path (more than once is already a reported defect). */
    record State(TreeMap<String, Integer> held) {
        boolean holds(String lock) {
            return held.getOrDefault(lock, 0) > 0;
        }

        State add(String lock) {
            TreeMap<String, Integer> h = new TreeMap<>(held);
            // twice is already a defect; counting further would let a loop grow states without end
            h.merge(lock, 1, (a, b) -> Math.min(2, a + b));
            return new State(h);
        }

        State remove(String lock) {
            TreeMap<String, Integer> h = new TreeMap<>(held);
            h.computeIfPresent(lock, (k, n) -> n > 1 ? n - 1 : null);
            return new State(h);
        }
    }

    private static final List<String> ACQUIRE = List.of("KeAcquireSpinLock", "KeAcquireSpinLockAtDpcLevel",
            "KeAcquireInterruptSpinLock", "IoAcquireCancelSpinLock");
    private static final List<String> RELEASE = List.of("KeReleaseSpinLock", "KeReleaseSpinLockFromDpcLevel",
            "KeReleaseInterruptSpinLock", "IoReleaseCancelSpinLock");

    private final Analysis analysis;

    private LockSet(Analysis analysis) {
        this.analysis = analysis;
    }

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return EngineRule.once(analysis, "LockSet", () -> new LockSet(analysis));
    }

    /** Whether the routine's driver takes any spin lock at all. */
    private boolean takesLocks(DriverModel.Routine routine) {
        for (String a : ACQUIRE) {
            if (analysis.calls(a, routine.body())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public State initial(DriverModel.Routine routine) {
        // a Cancel routine is called holding the cancel spin lock, and must release it
        if (routine.role() == dev.dpccheck.analyzer.driver.Role.CANCEL) {
            return new State(new TreeMap<>(java.util.Map.of(CANCEL_LOCK, 1)));
        }
        return takesLocks(routine) ? new State(new TreeMap<>()) : null;
    }

    private static final String CANCEL_LOCK = "the cancel spin lock";

    private static String lock(PathEngine<State>.Step step, String routine) {
        return routine.endsWith("CancelSpinLock") ? CANCEL_LOCK
                : routine.endsWith("InterruptSpinLock") ? "the interrupt spin lock of '" + step.key(Wdm.arg(step.element(), 0)) + "'"
                : "'" + step.key(Wdm.arg(step.element(), 0)) + "'";
    }

    @Override
    public State event(PathEngine<State>.Step step, State s) {
        CtElement e = step.element();
        String called = Wdm.called(e);
        if (called == null) {
            return s;
        }
        if (ACQUIRE.contains(called)) {
            String l = lock(step, called);
            if (s.holds(l)) {
                step.report("SpinLock", "'" + called + "' acquires " + l + ", which is already held.");
            }
            return s.add(l);
        }
        if (RELEASE.contains(called)) {
            String l = lock(step, called);
            if (!s.holds(l)) {
                step.report("SpinLock", "'" + called + "' releases " + l + ", which is not held.");
            }
            return s.remove(l);
        }
        if (!s.held.isEmpty() && (called.equals("IoCompleteRequest") || called.startsWith("IoStartNextPacket"))) {
            step.report("SpinLockSafe", "'" + called + "' is called while holding " + s.held.firstKey() + ".");
        }
        return s;
    }

    @Override
    public void exit(PathEngine<State>.Exit exit, State s) {
        if (!s.held.isEmpty()) {
            exit.report("SpinLock", Wdm.routineName(exit.routine()) + " returns holding " + s.held.firstKey() + ".");
        }
    }
}
