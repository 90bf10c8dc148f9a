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
 *
 * <p>Nor does an access need protecting where the ISR cannot make its own ({@link IsrGuards}): the
 * ISR touches the field only while a flag holds ({@code OperationInProgress}, {@code CurrentIrp !=
 * null}) and the flag is known not to hold here, because this path wrote false or null to it
 * (in a SynchCritSection or not), because a SynchCritSection that clears it returned what the path
 * tested, or because the routine starts with it off:
 * <ul>
 * <li>a DPC the ISR queues, when the ISR clears the flag before every queue call (and every other
 * routine that queues a DPC has it off there too);</li>
 * <li>StartIo, ControllerControl and AdapterControl, which the system calls when the previous
 * request has let go of the device, the controller or the adapter: taken for granted only when
 * every call that lets go (IoStartNextPacket and its ByKey form, IoFreeController,
 * IoFreeAdapterChannel, and the allocations that call the control routine at once) is made with
 * the flag off. The run is repeated without the flags that some such call does not have off,
 * until it agrees with itself.</li>
 * </ul>
 */
final class Protection implements PathEngine.Property<Protection.State> {
    enum Interrupt { NOT_CONNECTED, CONNECTED, DISCONNECTED }

    /**
     * @param interrupt whether the interrupt is connected on this path
     * @param lockHeld whether the interrupt spin lock is held
     * @param connectStatus the local variable that holds what IoConnectInterrupt returned, or null
     */
    record State(Interrupt interrupt, boolean lockHeld, String connectStatus, TreeSet<String> off, boolean letGo) {
        State(Interrupt interrupt, boolean lockHeld, TreeSet<String> off) {
            this(interrupt, lockHeld, null, off, false);
        }

        State(Interrupt interrupt, boolean lockHeld, String connectStatus, TreeSet<String> off) {
            this(interrupt, lockHeld, connectStatus, off, false);
        }

        State withOff(TreeSet<String> atoms) {
            return new State(interrupt, lockHeld, connectStatus, atoms, letGo);
        }

        State released() {
            return new State(interrupt, lockHeld, connectStatus, off, true);
        }

        /** The atoms known off that keep the ISR away: none once the request let go of the device. */
        Set<String> excluding() {
            return letGo ? Set.of() : off;
        }
    }

    private static final List<Role> EXEMPT = List.of(Role.ISR, Role.DRIVER_ENTRY, Role.ADD_DEVICE, Role.UNLOAD);
    /** The calls with which a request lets go of the device, the controller or the adapter, or is granted it at once. */
    private static final String[] LET_GO = {"IoStartNextPacket", "IoStartNextPacketByKey", "IoFreeController",
        "IoFreeAdapterChannel", "IoAllocateController", "AllocateAdapterChannel"};
    private final Analysis analysis;
    private final IsrGuards guards;
    /** The driver (package) this run checks. */
    private final String driver;
    /** By driver: the atoms StartIo and the control routines start with off, and those the DPCs the ISR queues do. */
    private final Map<String, TreeSet<String>> startOff;
    private final Map<String, TreeSet<String>> dpcOff;
    /** By driver: what the calls that let go, and the DPC queue calls outside the ISR, had off on every path of this run. */
    private final Map<String, TreeSet<String>> letGoOff = new TreeMap<>();
    private final Map<String, TreeSet<String>> queueOff = new TreeMap<>();

    private Protection(Analysis analysis, IsrGuards guards, String driver, Map<String, TreeSet<String>> startOff,
            Map<String, TreeSet<String>> dpcOff) {
        this.analysis = analysis;
        this.guards = guards;
        this.driver = driver;
        this.startOff = startOff;
        this.dpcOff = dpcOff;
    }

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return analysis.cached("automaton:Protection", () -> {
            IsrGuards guards = IsrGuards.of(analysis);
            List<PathEngine.Finding> all = new java.util.ArrayList<>();
            TreeSet<String> drivers = new TreeSet<>();
            for (DriverModel.Routine r : analysis.driver().routines()) {
                drivers.add(DriverModel.driverOf(r.body()));
            }
            // each driver on its own: what one assumes is checked against its own calls only
            for (String driver : drivers) {
                Map<String, TreeSet<String>> startOff = new TreeMap<>(Map.of(driver, new TreeSet<>(guards.atoms())));
                Map<String, TreeSet<String>> dpcOff = new TreeMap<>(Map.of(driver, guards.offAtQueue(driver)));
                while (true) {
                    Protection p = new Protection(analysis, guards, driver, startOff, dpcOff);
                    List<PathEngine.Finding> found = PathEngine.run(analysis.driver(), p, analysis::cfg,
                            analysis::stoppedShort);
                    Map<String, TreeSet<String>> start = narrowed(startOff, p.letGoOff);
                    Map<String, TreeSet<String>> dpc = narrowed(dpcOff, p.queueOff);
                    if (start.equals(startOff) && dpc.equals(dpcOff)) {
                        all.addAll(found);
                        break;
                    }
                    // some call lets go, or queues the DPC, with a flag that may still be on: assume less, look again
                    startOff = start;
                    dpcOff = dpc;
                }
            }
            return all;
        });
    }

    /** The assumptions, each driver's narrowed to what the run saw where it lets go (unchanged where it never does). */
    private static Map<String, TreeSet<String>> narrowed(Map<String, TreeSet<String>> assumed,
            Map<String, TreeSet<String>> seen) {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        assumed.forEach((d, atoms) -> {
            TreeSet<String> a = new TreeSet<>(atoms);
            if (seen.containsKey(d)) {
                a.retainAll(seen.get(d));
            }
            out.put(d, a);
        });
        return out;
    }

    /** Notes that a call of this kind is made on a path with {@code off} known not to hold. */
    private static void saw(Map<String, TreeSet<String>> seen, PathEngine<State>.Step step, Set<String> off) {
        seen.computeIfAbsent(DriverModel.driverOf(step.routine().body()), d -> new TreeSet<>(off)).retainAll(off);
    }

    @Override
    public State initial(DriverModel.Routine routine) {
        // a driver without an ISR shares nothing with one, registers included: nothing can come in between
        if (EXEMPT.contains(routine.role()) || !DriverModel.driverOf(routine.body()).equals(driver)
                || !analysis.driver().has(Role.ISR, routine.body())) {
            return null;
        }
        boolean connects = analysis.cached("connects:" + DriverModel.positionKey(routine.body()),
                () -> connectsInterrupt(routine));
        TreeSet<String> off = switch (routine.role()) {
            case START_IO, CONTROL -> startOff.get(driver);
            case DPC_FOR_ISR, CUSTOM_DPC -> timerDpc(routine) ? new TreeSet<>() : dpcOff.get(driver);
            default -> new TreeSet<>();
        };
        return new State(connects ? Interrupt.NOT_CONNECTED : Interrupt.CONNECTED, false, off);
    }

    /** Whether a CustomDpc is the DPC of a timer: its KDPC is the one passed to KeSetTimer or KeSetTimerEx. */
    private boolean timerDpc(DriverModel.Routine routine) {
        if (routine.role() != Role.CUSTOM_DPC || !(routine.registration().getParent() instanceof CtInvocation<?> init)
                || !Wdm.calls(init, "KeInitializeDpc") || init.getArguments().isEmpty()) {
            return false;
        }
        Set<String> timers = analysis.cached("timerDpcs", () -> {
            Set<String> keys = new TreeSet<>();
            for (CtInvocation<?> call : analysis.elements(CtInvocation.class)) {
                if (Wdm.calls(call, "KeSetTimer", "KeSetTimerEx")) {
                    keys.add(dpcKey(call.getArguments().get(call.getArguments().size() - 1)));
                }
            }
            return keys;
        });
        return timers.contains(dpcKey(init.getArguments().get(0)));
    }

    private static String dpcKey(CtExpression<?> e) {
        return e instanceof CtFieldAccess<?> f ? FieldFacts.key(f.getVariable()) : e.toString();
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
                    return new State(Interrupt.CONNECTED, s.lockHeld, statusVariable(e), s.off, s.letGo);
                case "IoDisconnectInterrupt":
                    return new State(Interrupt.DISCONNECTED, s.lockHeld, null, s.off, s.letGo);
                case "KeAcquireInterruptSpinLock":
                    return new State(s.interrupt, true, s.connectStatus, s.off, s.letGo);
                case "KeReleaseInterruptSpinLock":
                    return new State(s.interrupt, false, s.connectStatus, s.off, s.letGo);
                default:
                    break;
            }
            if (List.of(LET_GO).contains(called)) {
                saw(letGoOff, step, s.off);
                // once let go, the next request may start the device and raise the flag at any time; the
                // flags this request lowered still say what it had off when it let go, for the calls after
                return s.released();
            } else if (called.equals("IoRequestDpc") || called.equals("KeInsertQueueDpc")) {
                saw(queueOff, step, s.off);
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
            if (isr != null && (write || isr.write()) && unprotected(step, s)
                    && !guards.excluded(FieldFacts.key(a.getVariable()), s.excluding())) {
                step.report("SharedContextUnsynchronized", Wdm.routineName(step.routine()) + " "
                        + (write ? "writes" : "reads") + " '" + field + "', which the ISR " + (isr.write() ? "writes" : "reads")
                        + ", outside a SynchCritSection.");
            }
            Map.Entry<String, Boolean> w = IsrGuards.written(a);
            if (w != null) {
                return s.withOff(IsrGuards.after(s.off, w, false));
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
            return outcome ? s : new State(Interrupt.NOT_CONNECTED, s.lockHeld, null, s.off, s.letGo);
        }
        Map.Entry<String, Boolean> atom = IsrGuards.atom(condition, outcome);
        if (atom != null) {
            return s.withOff(IsrGuards.after(s.off, atom, false));
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
