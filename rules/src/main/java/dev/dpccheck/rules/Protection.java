package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.FieldFacts;
import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.List;
import spoon.reflect.code.CtAssignment;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFieldAccess;
import spoon.reflect.code.CtFieldWrite;
import spoon.reflect.code.CtInvocation;
import spoon.reflect.code.CtLocalVariable;
import spoon.reflect.code.CtVariableRead;
import spoon.reflect.code.CtVariableWrite;
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

    /**
     * @param interrupt whether the interrupt is connected on this path
     * @param lockHeld whether the interrupt spin lock is held
     * @param connectStatus the local variable that holds what IoConnectInterrupt returned, or null
     */
    record State(Interrupt interrupt, boolean lockHeld, String connectStatus) {
        State(Interrupt interrupt, boolean lockHeld) {
            this(interrupt, lockHeld, null);
        }
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
                    return new State(Interrupt.CONNECTED, s.lockHeld, statusVariable(e));
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

    /** On the path where the status IoConnectInterrupt returned says it failed, nothing is connected. */
    @Override
    public State branch(CtExpression<?> condition, boolean outcome, PathEngine<State>.Step step, State s) {
        if (condition instanceof spoon.reflect.code.CtUnaryOperator<?> not
                && not.getKind() == spoon.reflect.code.UnaryOperatorKind.NOT) {
            return branch(not.getOperand(), !outcome, step, s);
        }
        if (s.connectStatus != null && condition instanceof CtInvocation<?> call && Wdm.calls(call, "NT_SUCCESS")
                && call.getArguments().size() == 1 && call.getArguments().get(0) instanceof CtVariableRead<?> v
                && v.getVariable().getSimpleName().equals(s.connectStatus)) {
            return outcome ? s : new State(Interrupt.NOT_CONNECTED, s.lockHeld, null);
        }
        return s;
    }

    /** The local variable a call's result is stored in, or null. */
    private static String statusVariable(CtElement call) {
        CtElement p = call.getParent();
        if (p instanceof CtLocalVariable<?> l) {
            return l.getSimpleName();
        }
        if (p instanceof CtAssignment<?, ?> a && a.getAssigned() instanceof CtVariableWrite<?> w
                && !(a.getAssigned() instanceof CtFieldWrite<?>)) {
            return w.getVariable().getSimpleName();
        }
        return null;
    }

    private static boolean unprotected(PathEngine<State>.Step step, State s) {
        return s.interrupt == Interrupt.CONNECTED && !s.lockHeld && !step.inSynchCritSection();
    }
}
