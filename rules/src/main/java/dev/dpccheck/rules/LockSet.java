package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.List;
import java.util.TreeSet;
import spoon.reflect.declaration.CtElement;

/**
 * The spin locks a routine holds on each path. Checks SpinLock (acquired twice, released when not
 * held, held when the routine returns) and SpinLockSafe (IoStartNextPacket or IoCompleteRequest
 * with a spin lock held).
 */
final class LockSet implements PathEngine.Property<LockSet.State> {
    record State(TreeSet<String> held) {
        State add(String lock) {
            TreeSet<String> h = new TreeSet<>(held);
            h.add(lock);
            return new State(h);
        }

        State remove(String lock) {
            TreeSet<String> h = new TreeSet<>(held);
            h.remove(lock);
            return new State(h);
        }
    }

    private static final List<String> ACQUIRE = List.of("KeAcquireSpinLock", "KeAcquireSpinLockAtDpcLevel",
            "KeAcquireInterruptSpinLock", "IoAcquireCancelSpinLock");
    private static final List<String> RELEASE = List.of("KeReleaseSpinLock", "KeReleaseSpinLockFromDpcLevel",
            "KeReleaseInterruptSpinLock", "IoReleaseCancelSpinLock");

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return EngineRule.once(analysis, "LockSet", new LockSet());
    }

    @Override
    public State initial(DriverModel.Routine routine) {
        return new State(new TreeSet<>());
    }

    private static String lock(PathEngine<State>.Step step, String routine) {
        return routine.endsWith("CancelSpinLock") ? "the cancel spin lock"
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
            if (s.held.contains(l)) {
                step.report("SpinLock", "'" + called + "' acquires " + l + ", which is already held.");
            }
            return s.add(l);
        }
        if (RELEASE.contains(called)) {
            String l = lock(step, called);
            if (!s.held.contains(l)) {
                step.report("SpinLock", "'" + called + "' releases " + l + ", which is not held.");
            }
            return s.remove(l);
        }
        if (!s.held.isEmpty() && (called.equals("IoCompleteRequest") || called.startsWith("IoStartNextPacket"))) {
            step.report("SpinLockSafe", "'" + called + "' is called while holding " + s.held.first() + ".");
        }
        return s;
    }

    @Override
    public void exit(PathEngine<State>.Exit exit, State s) {
        if (!s.held.isEmpty()) {
            exit.report("SpinLock", Wdm.routineName(exit.routine()) + " returns holding " + s.held.first() + ".");
        }
    }
}
