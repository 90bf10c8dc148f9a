package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.WdmRoutine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.List;
import java.util.TreeSet;
import java.util.TreeMap;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFieldAccess;
import spoon.reflect.code.CtFieldWrite;
import spoon.reflect.code.CtInvocation;
import spoon.reflect.code.CtLocalVariable;
import spoon.reflect.code.CtVariableWrite;
import spoon.reflect.declaration.CtElement;

/**
 * The life of each IRP a routine handles, named by the expression that holds it: whether its
 * status was set, to what, and whether it was completed. Checks DoubleCompletion,
 * IrpUsedAfterCompletion, IoStatusNotSet and CompleteWithPendingStatus.
 */
final class IrpLifecycle implements PathEngine.Property<IrpLifecycle.State> {
    static final int COMPLETED = 1;
    static final int STATUS_SET = 2;
    static final int PENDING = 4;
    /** A completion routine of the driver's that may stop the completion (STATUS_MORE_PROCESSING_REQUIRED) is set. */
    static final int RECLAIMED = 8;
    /** Completed by the driver below: handed down with IoCallDriver and not reclaimed. */
    static final int FORWARDED = 16;
    /** Routines that take an IRP only as a tag, which is fine after completion. */
    private static final List<String> TAG_ONLY = List.of("IoReleaseRemoveLock", "IoAcquireRemoveLock",
            "IoReleaseRemoveLockAndWait");

    /**
     * @param irps the flags of each IRP, by the expression that holds it
     * @param completedAt where each completed IRP was completed (a position key of the routine's own code)
     * @param current the locals that hold the device's current IRP ({@link CurrentIrp}): one IRP, whatever
     *     expression reaches it
     * @param elementOf the locals a for-each loop takes from a collection of IRPs, with the key that
     *     stands for the elements that loop took ({@code sent[*]@} and the loop): completing one marks
     *     the collection, and a later loop over it takes its elements as they were left
     */
    record State(TreeMap<String, Integer> irps, TreeMap<String, String> completedAt, TreeSet<String> pendingLocals,
            TreeSet<String> current, TreeMap<String, String> elementOf) {
        // written out: the engine compares states all the time, and the generated methods go through
        // method handles, slow in the client compiler
        @Override
        public boolean equals(Object o) {
            return o instanceof State x && x.irps.equals(irps) && x.completedAt.equals(completedAt)
                    && x.pendingLocals.equals(pendingLocals) && x.current.equals(current) && x.elementOf.equals(elementOf);
        }

        @Override
        public int hashCode() {
            return (((irps.hashCode() * 31 + completedAt.hashCode()) * 31 + pendingLocals.hashCode()) * 31
                    + current.hashCode()) * 31 + elementOf.hashCode();
        }

        int flags(String key) {
            return irps.getOrDefault(key, 0);
        }

        State with(String key, int flags) {
            TreeMap<String, Integer> m = new TreeMap<>(irps);
            m.put(key, flags);
            return new State(m, completedAt, pendingLocals, current, elementOf);
        }

        State completed(String key, int flags, String site) {
            TreeMap<String, String> c = new TreeMap<>(completedAt);
            c.put(key, site);
            return new State(with(key, flags).irps, c, pendingLocals, current, elementOf);
        }

        /** This state with the local {@code variable} known to hold STATUS_PENDING, or not. */
        State pending(String variable, boolean holds) {
            if (pendingLocals.contains(variable) == holds) {
                return this;
            }
            TreeSet<String> p = new TreeSet<>(pendingLocals);
            if (holds) {
                p.add(variable);
            } else {
                p.remove(variable);
            }
            return new State(irps, completedAt, p, current, elementOf);
        }

        State forget(String variable) {
            TreeMap<String, Integer> m = new TreeMap<>(irps);
            TreeMap<String, String> c = new TreeMap<>(completedAt);
            m.keySet().removeIf(k -> k.equals(variable) || k.startsWith(variable + ".") || k.startsWith(variable + "["));
            c.keySet().retainAll(m.keySet());
            State out = m.size() == irps.size() ? this : new State(m, c, pendingLocals, current, elementOf);
            if (out.elementOf.containsKey(variable)) {
                TreeMap<String, String> e = new TreeMap<>(out.elementOf);
                e.remove(variable);
                out = new State(out.irps, out.completedAt, out.pendingLocals, out.current, e);
            }
            return out.pending(variable, false).holdingCurrent(variable, false);
        }

        /**
         * After IoStartNextPacket: the device's current IRP is the next request's (or none), a new
         * IRP with nothing done to it; the locals that held the old one still hold it, now an IRP of
         * their own.
         */
        State nextPacket() {
            if (!irps.containsKey(CURRENT) && current.isEmpty()) {
                return this;
            }
            TreeMap<String, Integer> m = new TreeMap<>(irps);
            TreeMap<String, String> c = new TreeMap<>(completedAt);
            Integer flags = m.remove(CURRENT);
            String at = c.remove(CURRENT);
            for (String local : current) {
                if (flags != null) {
                    m.put(local, flags);
                }
                if (at != null) {
                    c.put(local, at);
                }
            }
            return new State(m, c, pendingLocals, new TreeSet<>(), elementOf);
        }

        /** This state with the local {@code variable} known to hold the current IRP, or not. */
        State holdingCurrent(String variable, boolean holds) {
            if (current.contains(variable) == holds) {
                return this;
            }
            TreeSet<String> c = new TreeSet<>(current);
            if (holds) {
                c.add(variable);
            } else {
                c.remove(variable);
            }
            return new State(irps, completedAt, pendingLocals, c, elementOf);
        }
    }

    /**
     * What the IRPs a routine is handed carry from the routine that queued them: for StartIo, the
     * IRPs given to IoStartPacket; for a cancel routine, the IRPs given to IoSetCancelRoutine with
     * it. PENDING when some queuing path left STATUS_PENDING in the IRP's status block, STATUS_SET
     * when every one set a status. Null while collecting.
     */
    private final java.util.Map<String, Integer> handedOver;
    /** While collecting: the flags at each queuing call, by the key of the routine that receives them. */
    private final java.util.Map<String, Integer> collected = new TreeMap<>();
    private final Analysis analysis;

    private IrpLifecycle(Analysis analysis, java.util.Map<String, Integer> handedOver) {
        this.analysis = analysis;
        this.handedOver = handedOver;
    }

    /** The key of the device's current IRP, however the code reaches it. */
    private static final String CURRENT = "<current IRP>";

    /**
     * The key under which an IRP's flags are kept: the current IRP's one key for every expression
     * that reads it ({@code DeviceObject.CurrentIrp}, a field that holds it, a local that took it),
     * otherwise the expression as the path engine names it.
     */
    private String irp(PathEngine<State>.Step step, State s, CtExpression<?> e) {
        String key = step.key(e);
        return CurrentIrp.read(analysis, e) || s.current.contains(key) ? CURRENT : key;
    }

    /** {@link #fromElsewhere} per local, which every path through its declaration asks again. */
    private final java.util.Map<CtLocalVariable<?>, Boolean> elsewhere = new java.util.IdentityHashMap<>();

    /** The completion sites by position key, for witness paths. */
    private final java.util.Map<String, CtElement> sites = new java.util.HashMap<>();

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return PathEngine.merge(analysis.perDriver("automaton:IrpLifecycle", (driver, routines) -> {
            IrpLifecycle collect = new IrpLifecycle(analysis, null);
            PathEngine.run(analysis.driver(), routines, collect, analysis::cfg, analysis::stoppedShort);
            return PathEngine.run(analysis.driver(), routines, new IrpLifecycle(analysis, collect.collected),
                    analysis::cfg, analysis::stoppedShort);
        }));
    }

    @Override
    public State initial(DriverModel.Routine routine) {
        State s = new State(new TreeMap<>(), new TreeMap<>(), new TreeSet<>(), new TreeSet<>(), new TreeMap<>());
        if (handedOver == null) {
            // collecting: only the routines that queue IRPs for StartIo or a cancel routine
            return Wdm.reaches(analysis, routine.body(), true, "IoStartPacket", "IoSetCancelRoutine") ? s : null;
        }
        if (routine.role() == Role.DPC_FOR_ISR && routine.body().getParameters().size() > 2
                && Boolean.TRUE.equals(CurrentIrp.handedToDpcForIsr(analysis, routine.body()))) {
            // the ISR hands its DpcForIsr the device's current IRP: the Irp parameter is that one object
            s = s.holdingCurrent(routine.body().getParameters().get(2).getSimpleName(), true);
        }
        String key = receiver(routine);
        Integer flags = key == null ? null : handedOver.get(key);
        if (flags != null && routine.body().getParameters().size() > 1) {
            // a cancel routine owes its own status (STATUS_CANCELLED) whatever the IRP carries
            int f = routine.role() == Role.CANCEL ? flags & PENDING : flags;
            return f == 0 ? s : s.with(routine.body().getParameters().get(1).getSimpleName(), f);
        }
        return s;
    }

    /** The methods that empty a java.util collection. */
    private static final List<String> EMPTIED = List.of("clear", "removeAll", "retainAll");

    /**
     * A for-each loop's local over a collection ({@code for (Irp frame : sent)}): an element of it.
     * Completing it marks the collection, under the loop that did ({@code sent[*]@loop}); the
     * elements a later loop over the collection takes start as an earlier loop left them (another
     * turn of the same loop takes another element).
     */
    private State element(PathEngine<State>.Step step, State s, CtLocalVariable<?> l) {
        if (!(l.getParent() instanceof spoon.reflect.code.CtForEach loop) || !isIrp(l)) {
            return s;
        }
        String collection = step.key(loop.getExpression()) + "[*]@";
        String mark = collection + DriverModel.positionKey(loop);
        String name = l.getSimpleName();
        State out = s;
        for (java.util.Map.Entry<String, Integer> left : s.irps.entrySet()) {
            if (left.getKey().startsWith(collection) && !left.getKey().equals(mark)) {
                out = out.completed(name, out.flags(name) | left.getValue(), s.completedAt.get(left.getKey()));
            }
        }
        TreeMap<String, String> e = new TreeMap<>(out.elementOf);
        e.put(name, mark);
        return new State(out.irps, out.completedAt, out.pendingLocals, out.current, e);
    }

    /** The key under which what a StartIo or cancel routine is handed is collected, or null for other routines. */
    private static String receiver(DriverModel.Routine routine) {
        if (routine.role() == Role.START_IO) {
            return "StartIo@" + DriverModel.driverOf(routine.body());
        }
        return routine.role() == Role.CANCEL ? "Cancel@" + DriverModel.positionKey(routine.body()) : null;
    }

    /** While collecting: notes the flags an IRP has where it is queued for {@code key}. */
    private void handOver(String key, int flags) {
        int f = flags & (STATUS_SET | PENDING);
        collected.merge(key, f, (a, b) -> (a & b & STATUS_SET) | ((a | b) & PENDING));
    }

    @Override
    public State event(PathEngine<State>.Step step, State s) {
        CtElement e = step.element();
        if (Wdm.calls(e, "IoStartNextPacket", "IoStartNextPacketByKey")) {
            return s.nextPacket();
        }
        if (e instanceof CtLocalVariable<?> l) {
            State out = s.forget(l.getSimpleName()).pending(l.getSimpleName(), pendingValue(l.getDefaultExpression(), s))
                    .holdingCurrent(l.getSimpleName(), l.getDefaultExpression() != null && isIrp(l)
                            && CURRENT.equals(irp(step, s, l.getDefaultExpression())));
            // an IRP taken from a queue, a list or a field has a history this path cannot see: another
            // routine may have set its status; only what the path itself shows counts
            if (!isIrp(l) || !elsewhere.computeIfAbsent(l, IrpLifecycle::fromElsewhere)) {
                return element(step, out, l);
            }
            String irp = out.current.contains(l.getSimpleName()) ? CURRENT : l.getSimpleName();
            return element(step, out.with(irp, out.flags(irp) | STATUS_SET), l);
        }
        if (e instanceof CtVariableWrite<?> w && !(e instanceof CtFieldWrite<?>)) {
            boolean pending = w.getParent() instanceof spoon.reflect.code.CtAssignment<?, ?> a && a.getAssigned() == w
                    && !(a instanceof spoon.reflect.code.CtOperatorAssignment<?, ?>) && pendingValue(a.getAssignment(), s);
            return s.forget(w.getVariable().getSimpleName()).pending(w.getVariable().getSimpleName(), pending);
        }
        CtExpression<?> statusOf = Wdm.statusWriteTarget(e);
        if (statusOf != null) {
            String irp = irp(step, s, statusOf);
            int f = s.flags(irp);
            boolean pending = e.getParent() instanceof spoon.reflect.code.CtAssignment<?, ?> a
                    && pendingValue(a.getAssignment(), s);
            return s.with(irp, (f | STATUS_SET) & ~PENDING | (pending ? PENDING : 0));
        }
        if (e instanceof spoon.reflect.code.CtFieldRead<?> r && r.getVariable().getSimpleName().equals("Status")
                && r.getTarget() instanceof CtFieldAccess<?> io && io.getVariable().getSimpleName().equals("IoStatus")
                && io.getTarget() != null && isIrp(io.getTarget())) {
            // a driver that reads the status it passes on keeps it on purpose: PnP, power and WMI IRPs it does
            // not handle arrive with a status already set, and a lower driver's status comes back with the IRP
            String irp = irp(step, s, io.getTarget());
            int f = s.flags(irp);
            if ((f & COMPLETED) == 0) {
                return s.with(irp, f | STATUS_SET);
            }
        }
        if (e instanceof CtFieldAccess<?> a && a.getTarget() != null && isIrp(a.getTarget())) {
            String irp = irp(step, s, a.getTarget());
            if ((s.flags(irp) & COMPLETED) != 0) {
                step.report("IrpUsedAfterCompletion", "'" + step.key(a.getTarget()) + "." + a.getVariable().getSimpleName()
                        + "' is touched after " + completer(s.flags(irp)) + " completed the IRP.",
                        sites.get(s.completedAt.get(irp)));
            }
            return s;
        }
        // the IRP's stack location is part of the IRP: touching it after completion touches the IRP
        CtExpression<?> owner = e instanceof CtFieldAccess<?> a && a.getTarget() != null ? stackOwner(a.getTarget()) : null;
        if (owner != null && (s.flags(irp(step, s, owner)) & COMPLETED) != 0) {
            String irp = irp(step, s, owner);
            step.report("IrpUsedAfterCompletion", "'" + ((CtFieldAccess<?>) e).getTarget() + "."
                    + ((CtFieldAccess<?>) e).getVariable().getSimpleName() + "', the stack location of '"
                    + step.key(owner) + "', is touched after " + completer(s.flags(irp)) + " completed the IRP.",
                    sites.get(s.completedAt.get(irp)));
            return s;
        }
        String called = Wdm.called(e);
        if (called == null) {
            if (e instanceof CtInvocation<?> c && c.getTarget() != null
                    && EMPTIED.contains(c.getExecutable().getSimpleName())
                    && s.irps.keySet().stream().anyMatch(k -> k.startsWith(step.key(c.getTarget()) + "[*]"))) {
                // emptied: what was done to its old elements says nothing of what it holds now
                return s.forget(step.key(c.getTarget()));
            }
            return s;
        }
        CtInvocation<?> call = (CtInvocation<?>) e;
        if (called.equals("IoCompleteRequest")) {
            String irp = irp(step, s, call.getArguments().get(0));
            String shown = step.key(call.getArguments().get(0));
            int f = s.flags(irp);
            if ((f & COMPLETED) != 0) {
                step.report("DoubleCompletion", "'IoCompleteRequest' completes '" + shown + "', which "
                        + ((f & FORWARDED) != 0 ? "the driver below completes after 'IoCallDriver'."
                        : "was already completed."), sites.get(s.completedAt.get(irp)));
                return s;
            }
            if ((f & STATUS_SET) == 0) {
                step.report("IoStatusNotSet", "'IoCompleteRequest' completes '" + shown
                        + "' on a path where its 'IoStatus.Status' was not set.");
            }
            if ((f & PENDING) != 0) {
                step.report("CompleteWithPendingStatus", "'IoCompleteRequest' completes '" + shown
                        + "' with 'STATUS_PENDING'" + ((f & STATUS_SET) == 0 ? ", which it was queued with." : "."));
            }
            String site = DriverModel.positionKey(step.site());
            sites.put(site, step.site());
            State done = s.completed(irp, f | COMPLETED, site);
            String marked = s.elementOf.get(irp);
            return marked == null ? done : done.completed(marked, done.flags(marked) | COMPLETED, site);
        }
        if (handedOver == null) {
            if (called.equals("IoStartPacket") && call.getArguments().size() > 1) {
                handOver("StartIo@" + DriverModel.driverOf(step.routine().body()),
                        s.flags(irp(step, s, call.getArguments().get(1))));
            } else if (called.equals("IoSetCancelRoutine") && call.getArguments().size() == 2) {
                spoon.reflect.declaration.CtExecutable<?> cancel = DriverModel.target(call.getArguments().get(1));
                if (cancel != null) {
                    handOver("Cancel@" + DriverModel.positionKey(cancel), s.flags(irp(step, s, call.getArguments().get(0))));
                }
            }
        }
        if (called.equals("IoSetCompletionRoutine") && !call.getArguments().isEmpty()) {
            String irp = irp(step, s, call.getArguments().get(0));
            return s.with(irp, reclaims(call) ? s.flags(irp) | RECLAIMED : s.flags(irp) & ~RECLAIMED);
        }
        if (called.equals("IoSkipCurrentIrpStackLocation") && !call.getArguments().isEmpty()
                && (s.flags(irp(step, s, call.getArguments().get(0))) & COMPLETED) == 0) {
            String irp = irp(step, s, call.getArguments().get(0));
            return s.with(irp, s.flags(irp) & ~RECLAIMED);
        }
        if (called.equals("IoCallDriver") && call.getArguments().size() == 2) {
            // the driver below completes the IRP, status and all, unless a completion routine stops it: then the
            // IRP comes back; otherwise it is gone once handed down
            String irp = irp(step, s, call.getArguments().get(1));
            int f = s.flags(irp);
            if ((f & COMPLETED) != 0) {
                step.report("IrpUsedAfterCompletion", "'IoCallDriver' is given '" + step.key(call.getArguments().get(1))
                        + "' after " + completer(f)
                        + " completed it.", sites.get(s.completedAt.get(irp)));
                return s;
            }
            if ((f & RECLAIMED) != 0) {
                return s.with(irp, f | STATUS_SET);
            }
            String site = DriverModel.positionKey(step.site());
            sites.put(site, step.site());
            return s.completed(irp, f | STATUS_SET | COMPLETED | FORWARDED, site);
        }
        if (!TAG_ONLY.contains(called)) {
            for (CtExpression<?> a : call.getArguments()) {
                String irp = isIrp(a) ? irp(step, s, a) : null;
                if (irp != null && (s.flags(irp) & COMPLETED) != 0) {
                    step.report("IrpUsedAfterCompletion", "'" + called + "' is given '" + step.key(a)
                            + "' after " + completer(s.flags(irp)) + " completed it.",
                            sites.get(s.completedAt.get(irp)));
                }
            }
        }
        return s;
    }

    /**
     * For an expression that holds an IRP's current stack location (a call of
     * IoGetCurrentIrpStackLocation, or a local initialized with one and never assigned again), the
     * IRP expression; null otherwise.
     */
    private CtExpression<?> stackOwner(CtExpression<?> e) {
        if (!(e instanceof CtInvocation<?>) && !(e instanceof spoon.reflect.code.CtVariableRead<?>
                && !(e instanceof spoon.reflect.code.CtFieldRead<?>))) {
            return null;
        }
        Object owner = analysis.memo("stackOwner", e, () -> {
            CtExpression<?> x = e;
            if (x instanceof spoon.reflect.code.CtVariableRead<?> v) {
                if (!(dev.dpccheck.analyzer.spi.Analysis.variable(v.getVariable()) instanceof CtLocalVariable<?> l) || l.getType() == null
                        || !l.getType().getSimpleName().equals("IoStackLocation")) {
                    return e;
                }
                List<CtExpression<?>> values = Constants.assignments(l);
                x = values.size() == 1 ? values.get(0) : null;
            }
            return x instanceof CtInvocation<?> call && Wdm.calls(call, "IoGetCurrentIrpStackLocation")
                    && call.getArguments().size() == 1 && isIrp(call.getArguments().get(0)) ? call.getArguments().get(0) : e;
        });
        return owner == e ? null : (CtExpression<?>) owner;
    }

    private static String completer(int flags) {
        return (flags & FORWARDED) != 0 ? "'IoCallDriver' handed it to the driver below, which" : "'IoCompleteRequest'";
    }

    /**
     * Whether the completion routine an IoSetCompletionRoutine call sets may stop the completion:
     * one of its returns is STATUS_MORE_PROCESSING_REQUIRED (or is not a constant the analysis
     * knows), so the IRP may come back to the routine that called IoCallDriver.
     */
    private static boolean reclaims(CtInvocation<?> set) {
        if (set.getArguments().size() < 2) {
            return true;
        }
        spoon.reflect.declaration.CtExecutable<?> routine = DriverModel.target(set.getArguments().get(1));
        if (routine == null || routine.getBody() == null) {
            return !(set.getArguments().get(1) instanceof spoon.reflect.code.CtLiteral<?>);
        }
        for (spoon.reflect.code.CtReturn<?> r : dev.dpccheck.analyzer.spi.Analysis.elementsIn(routine.getBody(), spoon.reflect.code.CtReturn.class)) {
            if (r.getParent(spoon.reflect.declaration.CtExecutable.class) != routine) {
                continue;
            }
            Long v = Constants.value(r.getReturnedExpression());
            if (v == null || v == dev.dpccheck.wdm.Wdm.STATUS_MORE_PROCESSING_REQUIRED) {
                return true;
            }
        }
        return false;
    }

    /** A test of a status local against STATUS_PENDING says whether it holds it; null where the path knows better. */
    @Override
    public State branch(CtExpression<?> condition, boolean outcome, PathEngine<State>.Step step, State s) {
        if (condition instanceof spoon.reflect.code.CtUnaryOperator<?> u
                && u.getKind() == spoon.reflect.code.UnaryOperatorKind.NOT) {
            return branch(u.getOperand(), !outcome, step, s);
        }
        if (condition instanceof spoon.reflect.code.CtBinaryOperator<?> b
                && (b.getKind() == spoon.reflect.code.BinaryOperatorKind.EQ
                || b.getKind() == spoon.reflect.code.BinaryOperatorKind.NE)) {
            CtExpression<?> local = pendingConstant(b.getRightHandOperand()) ? b.getLeftHandOperand()
                    : pendingConstant(b.getLeftHandOperand()) ? b.getRightHandOperand() : null;
            if (local instanceof spoon.reflect.code.CtVariableRead<?> v && !(local instanceof spoon.reflect.code.CtFieldRead<?>)) {
                String name = v.getVariable().getSimpleName();
                boolean holds = (b.getKind() == spoon.reflect.code.BinaryOperatorKind.EQ) == outcome;
                // a local this path set to STATUS_PENDING cannot test otherwise
                return s.pendingLocals.contains(name) && !holds ? null : s.pending(name, holds);
            }
        }
        return s;
    }

    /** Whether a value is STATUS_PENDING: the constant, or a local this path knows holds it. */
    private static boolean pendingValue(CtExpression<?> value, State s) {
        if (value == null) {
            return false;
        }
        if (value instanceof spoon.reflect.code.CtConditional<?> c) {
            // one arm is STATUS_PENDING: the path that took it holds it, and nothing here tells the two apart
            return pendingValue(c.getThenExpression(), s) || pendingValue(c.getElseExpression(), s);
        }
        if (value instanceof spoon.reflect.code.CtVariableRead<?> v && !(value instanceof spoon.reflect.code.CtFieldRead<?>)) {
            return s.pendingLocals.contains(v.getVariable().getSimpleName());
        }
        return pendingConstant(value);
    }

    private static boolean pendingConstant(CtExpression<?> value) {
        return WdmRoutine.constant(value) instanceof Integer i && i == dev.dpccheck.wdm.Wdm.STATUS_PENDING;
    }

    /**
     * Whether a local IRP variable gets an IRP from a collection, a field or a call rather than from
     * this path, and the routine does not take charge of its I/O status block (it, or a helper it
     * hands the IRP to, writes 'IoStatus' of it somewhere): then only what the path shows counts.
     */
    private static boolean fromElsewhere(CtLocalVariable<?> l) {
        if (!(l.getParent() instanceof spoon.reflect.code.CtForEach) && !fetched(l)) {
            return false;
        }
        spoon.reflect.declaration.CtExecutable<?> body = l.getParent(spoon.reflect.declaration.CtExecutable.class);
        return body == null || !writesIoStatus(body, l, true);
    }

    /**
     * Whether {@code body} writes 'IoStatus' of {@code variable} (that declaration: another local of
     * the same name in a sibling block is another variable), itself or in a helper it passes it to.
     */
    private static boolean writesIoStatus(spoon.reflect.declaration.CtExecutable<?> body,
            spoon.reflect.declaration.CtVariable<?> variable, boolean intoHelpers) {
        for (CtFieldWrite<?> w : dev.dpccheck.analyzer.spi.Analysis.elementsIn(body, CtFieldWrite.class)) {
            if (w.getTarget() instanceof CtFieldAccess<?> io && io.getVariable().getSimpleName().equals("IoStatus")
                    && io.getTarget() instanceof spoon.reflect.code.CtVariableRead<?> v && is(v, variable)) {
                return true;
            }
        }
        if (!intoHelpers) {
            return false;
        }
        for (CtInvocation<?> call : dev.dpccheck.analyzer.spi.Analysis.elementsIn(body, CtInvocation.class)) {
            spoon.reflect.declaration.CtExecutable<?> callee = Analysis.declaration(call.getExecutable());
            if (callee == null || callee.getBody() == null || WdmRoutine.of(call) != null) {
                continue;
            }
            for (int i = 0; i < call.getArguments().size() && i < callee.getParameters().size(); i++) {
                if (call.getArguments().get(i) instanceof spoon.reflect.code.CtVariableRead<?> v && is(v, variable)
                        && writesIoStatus(callee, callee.getParameters().get(i), false)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a read is of that variable. */
    private static boolean is(spoon.reflect.code.CtVariableRead<?> read, spoon.reflect.declaration.CtVariable<?> variable) {
        return read.getVariable().getSimpleName().equals(variable.getSimpleName())
                && Analysis.variable(read.getVariable()) == variable;
    }

    /** Whether a local IRP variable is initialized from a field, an array, or a call of the driver's. */
    private static boolean fetched(CtLocalVariable<?> l) {
        CtExpression<?> init = l.getDefaultExpression();
        if (init instanceof spoon.reflect.code.CtTypeAccess<?>) {
            return false;
        }
        while (init instanceof spoon.reflect.code.CtConditional<?> c) {
            init = c.getThenExpression();
        }
        return init instanceof CtFieldAccess<?> || init instanceof spoon.reflect.code.CtArrayAccess<?, ?>
                || (init instanceof CtInvocation<?> call && WdmRoutine.of(call) == null);
    }

    private static boolean isIrp(CtLocalVariable<?> l) {
        return isIrp(l.getType());
    }

    private static boolean isIrp(CtExpression<?> e) {
        return isIrp(e.getType());
    }

    private static boolean isIrp(spoon.reflect.reference.CtTypeReference<?> t) {
        return t != null && t.getQualifiedName().equals(dev.dpccheck.wdm.Irp.class.getName());
    }
}
