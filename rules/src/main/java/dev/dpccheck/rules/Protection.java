package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.FieldFacts;
import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.List;
import spoon.reflect.code.CtFieldAccess;
import spoon.reflect.code.CtFieldWrite;
import spoon.reflect.declaration.CtElement;

/**
 * Under which protection a routine other than the ISR touches what the ISR touches: inside a
 * SynchCritSection that KeSynchronizeExecution runs, or between KeAcquireInterruptSpinLock and
 * its release, is protected; before the routine connects the interrupt, or after it disconnects
 * it, nothing needs protecting. Checks SharedContextUnsynchronized (a conflicting access, one of
 * the two a write, unprotected) and DeviceProgrammedOutsideSync (a DPC writing device registers or
 * ports unprotected).
 */
final class Protection implements PathEngine.Property<Protection.State> {
    enum Interrupt { NOT_CONNECTED, CONNECTED, DISCONNECTED }

    record State(Interrupt interrupt, boolean lockHeld) {
    }

    private static final List<Role> EXEMPT = List.of(Role.ISR, Role.DRIVER_ENTRY, Role.ADD_DEVICE, Role.UNLOAD);
    private final Analysis analysis;

    private Protection(Analysis analysis) {
        this.analysis = analysis;
    }

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return EngineRule.once(analysis, "Protection", new Protection(analysis));
    }

    @Override
    public State initial(DriverModel.Routine routine) {
        // a driver without an ISR shares nothing with one, registers included: nothing can come in between
        if (EXEMPT.contains(routine.role()) || !analysis.driver().has(Role.ISR, routine.body())) {
            return null;
        }
        boolean connects = analysis.cached("connects:" + DriverModel.positionKey(routine.body()),
                () -> connectsInterrupt(routine));
        return new State(connects ? Interrupt.NOT_CONNECTED : Interrupt.CONNECTED, false);
    }

    /** Whether the routine, or anything it calls, connects an interrupt. */
    private boolean connectsInterrupt(DriverModel.Routine routine) {
        for (spoon.reflect.declaration.CtExecutable<?> body : analysis.driver().reachableFrom(routine.body(), false)) {
            for (spoon.reflect.code.CtInvocation<?> call : body.getElements(
                    new spoon.reflect.visitor.filter.TypeFilter<>(spoon.reflect.code.CtInvocation.class))) {
                if (Wdm.calls(call, "IoConnectInterrupt", "IoConnectInterruptEx")) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public State event(PathEngine<State>.Step step, State s) {
        CtElement e = step.element();
        String called = Wdm.called(e);
        if (called != null) {
            switch (called) {
                case "IoConnectInterrupt":
                case "IoConnectInterruptEx":
                    return new State(Interrupt.CONNECTED, s.lockHeld);
                case "IoDisconnectInterrupt":
                    return new State(Interrupt.DISCONNECTED, s.lockHeld);
                case "KeAcquireInterruptSpinLock":
                    return new State(s.interrupt, true);
                case "KeReleaseInterruptSpinLock":
                    return new State(s.interrupt, false);
                default:
                    break;
            }
            if (called.startsWith("WRITE_REGISTER_") || called.startsWith("WRITE_PORT_")) {
                if (step.routine().role().isDpc() && unprotected(step, s)) {
                    step.report("DeviceProgrammedOutsideSync", Wdm.routineName(step.routine()) + " programs the device"
                            + " with '" + called + "' outside a SynchCritSection.");
                }
            }
            return s;
        }
        if (e instanceof CtFieldAccess<?> a && FieldFacts.driverField(a.getVariable())) {
            String field = FieldFacts.name(a.getVariable());
            FieldFacts.Access isr = analysis.fields().isrAccess(FieldFacts.key(a.getVariable()));
            boolean write = a instanceof CtFieldWrite<?>;
            if (isr != null && (write || isr.write()) && unprotected(step, s)) {
                step.report("SharedContextUnsynchronized", Wdm.routineName(step.routine()) + " "
                        + (write ? "writes" : "reads") + " '" + field + "', which the ISR " + (isr.write() ? "writes" : "reads")
                        + ", outside a SynchCritSection.");
            }
        }
        return s;
    }

    private static boolean unprotected(PathEngine<State>.Step step, State s) {
        return s.interrupt == Interrupt.CONNECTED && !s.lockHeld && !step.inSynchCritSection();
    }
}
