package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.FieldFacts;
import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import spoon.reflect.code.CtAssignment;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFieldAccess;
import spoon.reflect.code.CtFieldRead;
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
 * <p>Nor does an access need protecting where the ISR cannot make its own ({@link IsrGuards}):
 * <ul>
 * <li>The ISR touches the field (or the device) only while a flag holds ({@code
 * OperationInProgress}, {@code CurrentIrp != null}, {@code !InterruptsMasked}) and the opposite is
 * known here: this path wrote it (in a SynchCritSection or not), or tested it, or called a
 * SynchCritSection that wrote it and tested what that returned, or the routine starts with it:
 * a DPC the ISR queues starts with what the ISR wrote before every queue call (and every other
 * routine that queues a DPC has written too); StartIo, ControllerControl and AdapterControl, which
 * the system calls when the previous request has let go of the device, the controller or the
 * adapter, start with the same, but only when every call that lets go (IoStartNextPacket and its
 * ByKey form, IoFreeController, the adapter's FreeAdapterChannel, and the allocations that may call the
 * control routine at once) is made with it too. Once a path lets go, nothing it knew keeps the
 * ISR away any more.</li>
 * <li>The interrupt is not connected on this path: the branch taken tests a flag of the driver's
 * own against the value it has at every IoConnectInterrupt call ({@code if (ext.UseIrq)}, in a
 * driver that also runs polled).</li>
 * <li>The device cannot interrupt: the ISR wrote a constant to a register (its interrupt mask)
 * before every queue call, or the path wrote that same constant there since (in a SynchCritSection
 * that masks the card before a reset), and no other value was written there after. Only the device's own
 * registers are kept from the ISR this way, for DeviceProgrammedOutsideSync.</li>
 * <li>The register is none the ISR reads or writes, nor one the driver writes in a SynchCritSection
 * ({@link Registers}): for DeviceProgrammedOutsideSync.</li>
 * </ul>
 * What a routine takes for granted at its start is checked against the calls, per driver: the run
 * is repeated assuming only what every such call had, until it agrees with itself.
 */
final class Protection implements PathEngine.Property<Protection.State> {
    enum Interrupt { NOT_CONNECTED, CONNECTED, DISCONNECTED }

    /** What a path let go of: nothing, what the devices share (a controller, an adapter), or its device's queue. */
    enum LetGo { NONE, SHARED, DEVICE }

    /**
     * @param interrupt whether the interrupt is connected on this path
     * @param lockHeld whether the interrupt spin lock is held
     * @param connectStatus the local variable that holds what IoConnectInterrupt returned, or null
     * @param holds the atoms about fields known to hold ({@link IsrGuards})
     * @param masked the constants the ISR wrote to registers that this path has not overwritten
     * @param letGo what the path let go of
     */
    record State(Interrupt interrupt, boolean lockHeld, String connectStatus, TreeSet<String> holds,
            TreeSet<String> masked, LetGo letGo) {
        State with(Interrupt i, boolean lock, String status) {
            return new State(i, lock, status, holds, masked, letGo);
        }

        State holding(TreeSet<String> atoms) {
            return new State(interrupt, lockHeld, connectStatus, atoms, masked, letGo);
        }

        /**
         * The atoms that keep the ISR away from {@code field}: none once the request let go of the
         * device; once it let go only of what the devices share (the controller, the adapter), the
         * request that takes it over may start the hardware, but the ISR then works on that
         * request's device, so only the fields of this device's own extension are still kept.
         */
        Set<String> excluding(boolean ownDeviceField) {
            return letGo == LetGo.DEVICE || letGo == LetGo.SHARED && !ownDeviceField ? Set.of() : holds;
        }

        // written out: the engine compares states all the time, and the generated methods go through
        // method handles, slow in the client compiler
        @Override
        public boolean equals(Object o) {
            return o instanceof State s && s.interrupt == interrupt && s.lockHeld == lockHeld && s.letGo == letGo
                    && java.util.Objects.equals(s.connectStatus, connectStatus) && s.holds.equals(holds)
                    && s.masked.equals(masked);
        }

        @Override
        public int hashCode() {
            return ((interrupt.hashCode() * 31 + (lockHeld ? 1 : 0)) * 31 + java.util.Objects.hashCode(connectStatus))
                    * 31 + holds.hashCode() * 7 + masked.hashCode() + letGo.ordinal();
        }
    }

    /** What a routine may take for granted at its start, and what the calls that justify it had. */
    private record Assumed(TreeSet<String> holds, TreeSet<String> masked) {
        Assumed narrowed(Assumed seen) {
            if (seen == null) {
                return this;
            }
            TreeSet<String> h = new TreeSet<>(holds);
            h.retainAll(seen.holds);
            TreeSet<String> m = new TreeSet<>(masked);
            m.retainAll(seen.masked);
            return new Assumed(h, m);
        }

        Assumed meet(State s) {
            TreeSet<String> h = new TreeSet<>(holds);
            h.retainAll(s.holds);
            TreeSet<String> m = new TreeSet<>(masked);
            m.retainAll(s.masked);
            return new Assumed(h, m);
        }
    }

    private static final List<Role> EXEMPT = List.of(Role.ISR, Role.DRIVER_ENTRY, Role.ADD_DEVICE, Role.UNLOAD);
    /** The roles whose walks start from what is assumed ({@link #initial}). */
    private static final java.util.Set<Role> ASSUMING = java.util.EnumSet.of(Role.START_IO, Role.CONTROL,
            Role.DPC_FOR_ISR, Role.CUSTOM_DPC);
    /**
     * The calls after which the device's own hardware may be started: the request lets go of its
     * device's queue, or asks for the controller or the adapter, which may call its control
     * routine (this device's) at once.
     */
    private static final List<String> LET_GO_DEVICE = List.of("IoStartNextPacket", "IoStartNextPacketByKey",
            "IoAllocateController", "AllocateAdapterChannel");
    /** The calls with which a request lets go of the controller or the adapter, which another device may take. */
    private static final List<String> LET_GO_SHARED = List.of("IoFreeController", "FreeAdapterChannel");
    private final Analysis analysis;
    private final IsrGuards guards;
    /** The driver (package) this run checks. */
    private final String driver;
    /** What StartIo and the control routines start with, and what the DPCs the ISR queues start with. */
    private final Assumed start;
    private final Assumed dpc;
    /**
     * What the DPCs no ISR queues start with (a timer's, one a dispatch routine queues): what held
     * wherever the driver arms a timer or queues a DPC outside its ISRs.
     */
    private final Assumed timer;
    /** The constants the ISRs of the driver write to registers before they queue a DPC: the device's masks. */
    private final TreeSet<String> isrMasks;
    /** What the calls that let go, and the DPC queue calls outside the ISR, had on every path of this run (null: none). */
    private Assumed letGoSeen;
    private Assumed queueSeen;
    /** What the calls that arm a timer (KeSetTimer, KeSetTimerEx) had on every path of this run (null: none). */
    private Assumed armSeen;

    private Protection(Analysis analysis, IsrGuards guards, String driver, Assumed start, Assumed dpc,
            Assumed timer) {
        this.analysis = analysis;
        this.guards = guards;
        this.driver = driver;
        this.start = start;
        this.dpc = dpc;
        this.timer = timer;
        this.isrMasks = guards.masksAtQueue(driver);
    }

    static List<PathEngine.Finding> findings(Analysis analysis) {
        // each driver on its own: what one assumes is checked against its own calls only
        return PathEngine.merge(analysis.perDriver("automaton:Protection", (driver, routines) -> {
            IsrGuards guards = IsrGuards.of(analysis);
            Assumed handedOver = new Assumed(guards.writtenAtQueue(driver), guards.masksAtQueue(driver));
            Assumed start = new Assumed(handedOver.holds, new TreeSet<>());
            Assumed dpc = handedOver;
            // the routines that start from nothing assumed are walked once; those that start from
            // what is assumed, again each time it narrows
            List<DriverModel.Routine> assuming = new java.util.ArrayList<>();
            List<DriverModel.Routine> others = new java.util.ArrayList<>();
            for (DriverModel.Routine r : routines) {
                (ASSUMING.contains(r.role()) ? assuming : others).add(r);
            }
            // a timer armed, or a DPC queued, where nothing is walked (DriverEntry, AddDevice): nothing is known there
            Assumed timer = armedUnwalked(analysis, driver) ? new Assumed(new TreeSet<>(), new TreeSet<>()) : start;
            Protection once = new Protection(analysis, guards, driver, start, dpc, timer);
            List<PathEngine.Finding> fixed = PathEngine.run(analysis.driver(), others, once, analysis::cfg,
                    analysis::stoppedShort);
            while (true) {
                Protection p = new Protection(analysis, guards, driver, start, dpc, timer);
                List<PathEngine.Finding> found = PathEngine.run(analysis.driver(), assuming, p, analysis::cfg,
                        analysis::stoppedShort);
                Assumed s = start.narrowed(once.letGoSeen).narrowed(p.letGoSeen);
                Assumed d = dpc.narrowed(once.queueSeen).narrowed(p.queueSeen);
                Assumed t = timer.narrowed(once.queueSeen).narrowed(p.queueSeen).narrowed(once.armSeen)
                        .narrowed(p.armSeen);
                if (s.equals(start) && d.equals(dpc) && t.equals(timer)) {
                    return PathEngine.merge(List.of(fixed, found));
                }
                // some call lets go, or queues the DPC, without what was assumed: assume less, look again
                start = s;
                dpc = d;
                timer = t;
            }
        }));
    }

    @Override
    public State initial(DriverModel.Routine routine) {
        // a driver without an ISR shares nothing with one, registers included: nothing can come in between
        if (EXEMPT.contains(routine.role()) || !DriverModel.driverOf(routine.body()).equals(driver)
                || !analysis.driver().has(Role.ISR, routine.body())) {
            return null;
        }
        boolean connects = Wdm.reaches(analysis, routine.body(), false, "IoConnectInterrupt", "IoConnectInterruptEx");
        Assumed given = switch (routine.role()) {
            case START_IO, CONTROL -> start;
            case DPC_FOR_ISR, CUSTOM_DPC -> Wdm.interruptDpc(analysis, routine) ? dpc : timer;
            default -> null;
        };
        assert given == null || ASSUMING.contains(routine.role());
        return new State(connects ? Interrupt.NOT_CONNECTED : Interrupt.CONNECTED, false, null,
                given == null ? new TreeSet<>() : given.holds, given == null ? new TreeSet<>() : given.masked, LetGo.NONE);
    }

    /**
     * Whether the driver arms a timer, or queues a DPC, in code that only routines this property does
     * not walk run (DriverEntry, AddDevice, Unload; the ISR's queue calls are the interrupt DPCs' own).
     */
    private static boolean armedUnwalked(Analysis analysis, String driver) {
        java.util.Set<spoon.reflect.declaration.CtExecutable<?>> walked = java.util.Collections.newSetFromMap(
                new java.util.IdentityHashMap<>());
        java.util.Set<spoon.reflect.declaration.CtExecutable<?>> unwalked = java.util.Collections.newSetFromMap(
                new java.util.IdentityHashMap<>());
        for (DriverModel.Routine r : analysis.driver().routines()) {
            if (DriverModel.driverOf(r.body()).equals(driver) && r.role() != Role.ISR) {
                (EXEMPT.contains(r.role()) ? unwalked : walked).addAll(analysis.driver().reachableFrom(r.body(), true));
            }
        }
        for (CtInvocation<?> call : Wdm.callsTo(analysis, "KeSetTimer", "KeSetTimerEx", "KeInsertQueueDpc")) {
            spoon.reflect.declaration.CtExecutable<?> in = call.getParent(spoon.reflect.declaration.CtExecutable.class);
            if (DriverModel.driverOf(call).equals(driver) && unwalked.contains(in) && !walked.contains(in)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The key of a KDPC expression: its field's declaration (through a local that only ever holds
     * the field's value), or null when it is not known which KDPC it is (a parameter, a call).
     */
    static String dpcKey(CtExpression<?> e) {
        CtExpression<?> x = Wdm.initialValue(e, 1);
        return x instanceof CtFieldAccess<?> f ? FieldFacts.key(f.getVariable()) : null;
    }

    @Override
    public State event(PathEngine<State>.Step step, State s) {
        CtElement e = step.element();
        String called = Wdm.called(e);
        if (called != null) {
            switch (called) {
                case "IoConnectInterrupt":
                case "IoConnectInterruptEx":
                    return s.with(Interrupt.CONNECTED, s.lockHeld, statusVariable(e));
                case "IoDisconnectInterrupt":
                    return s.with(Interrupt.DISCONNECTED, s.lockHeld, null);
                case "KeAcquireInterruptSpinLock":
                    return s.with(s.interrupt, true, s.connectStatus);
                case "KeReleaseInterruptSpinLock":
                    return s.with(s.interrupt, false, s.connectStatus);
                default:
                    break;
            }
            boolean device = LET_GO_DEVICE.contains(called);
            if (device || LET_GO_SHARED.contains(called)) {
                letGoSeen = letGoSeen == null ? new Assumed(s.holds, s.masked) : letGoSeen.meet(s);
                // once let go, the next request may start the device and raise the flag at any time; what this
                // request wrote still says what it had when it let go, for the calls after
                LetGo l = device || s.letGo == LetGo.DEVICE ? LetGo.DEVICE : LetGo.SHARED;
                return new State(s.interrupt, s.lockHeld, s.connectStatus, s.holds, s.masked, l);
            }
            if (called.equals("IoRequestDpc") || called.equals("KeInsertQueueDpc")) {
                queueSeen = queueSeen == null ? new Assumed(s.holds, s.masked) : queueSeen.meet(s);
            }
            if (called.equals("KeSetTimer") || called.equals("KeSetTimerEx")) {
                armSeen = armSeen == null ? new Assumed(s.holds, s.masked) : armSeen.meet(s);
            }
            if (Wdm.writesDevice(called)) {
                CtInvocation<?> call = (CtInvocation<?>) e;
                // an IoTimer routine is called from the I/O manager's own DPC
                Role role = step.routine().role();
                if ((role.isDpc() || role == Role.IO_TIMER) && unprotected(step, s) && s.masked.isEmpty()
                        && !guards.excluded(IsrGuards.device(e), s.excluding(false))
                        && Registers.synchronizedWithIsr(analysis, call)) {
                    step.report("DeviceProgrammedOutsideSync", Wdm.routineName(step.routine()) + " programs the device"
                            + " with '" + called + "' outside a SynchCritSection.");
                }
                // a value the ISR writes to mask the device masks it whoever writes it; another value unmasks
                TreeSet<String> masked = IsrGuards.afterWrite(analysis, s.masked, call, isrMasks::contains);
                if (!masked.equals(s.masked)) {
                    return new State(s.interrupt, s.lockHeld, s.connectStatus, s.holds, masked, s.letGo);
                }
            }
            return s;
        }
        if (e instanceof CtFieldAccess<?> a && FieldFacts.driverField(a.getVariable())) {
            String key = FieldFacts.key(a.getVariable());
            FieldFacts.Access isr = analysis.fields().isrAccess(key);
            // a store into an element of the array the field refers to writes what the ISR shares
            boolean write = a instanceof CtFieldWrite<?> || FieldFacts.elementStore(a);
            String written = IsrGuards.written(a);
            // a flag the ISR only tests, set to a constant, is published whole: the ISR sees the old value or the new
            boolean published = write && isr != null && !isr.write() && written != null && !written.isEmpty()
                    && guards.onlyTested(key);
            if (isr != null && (write || isr.write()) && !published && unprotected(step, s)
                    && !guards.excluded(key, s.excluding(deviceExtensionField(a)))) {
                step.report("SharedContextUnsynchronized", Wdm.routineName(step.routine()) + " "
                        + (write ? "writes" : "reads") + " '" + FieldFacts.name(a.getVariable()) + "', which the ISR " + (isr.write() ? "writes" : "reads")
                        + ", outside a SynchCritSection.");
            }
            if (written != null) {
                return s.holding(IsrGuards.afterAccess(s.holds, a));
            }
        }
        return s;
    }

    /**
     * Whether a field is declared by a device extension: a type that the driver casts a {@code
     * DeviceExtension} to, one object per device.
     */
    private boolean deviceExtensionField(CtFieldAccess<?> a) {
        Set<String> types = analysis.cached("deviceExtensionTypes", () -> {
            Set<String> out = new TreeSet<>();
            for (CtFieldRead<?> read : analysis.elements(CtFieldRead.class)) {
                if (read.getVariable().getSimpleName().equals("DeviceExtension")) {
                    for (spoon.reflect.reference.CtTypeReference<?> cast : read.getTypeCasts()) {
                        out.add(cast.getQualifiedName());
                    }
                }
            }
            return out;
        });
        return a.getVariable().getDeclaringType() != null
                && types.contains(a.getVariable().getDeclaringType().getQualifiedName());
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
            return outcome ? s : s.with(Interrupt.NOT_CONNECTED, s.lockHeld, null);
        }
        String atom = IsrGuards.atom(condition, outcome);
        if (atom == null) {
            return s;
        }
        State t = s.holding(IsrGuards.afterTest(s.holds, atom));
        // the driver connects its interrupt only in the other mode: on this branch there is none
        return guards.neverConnected(driver, atom) ? t.with(Interrupt.NOT_CONNECTED, t.lockHeld, null) : t;
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
