package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.FieldFacts;
import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.List;
import java.util.TreeSet;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFieldAccess;
import spoon.reflect.code.CtFieldRead;
import spoon.reflect.code.CtFieldWrite;
import spoon.reflect.code.CtLocalVariable;
import spoon.reflect.code.CtVariableRead;
import spoon.reflect.declaration.CtElement;

/**
 * A DPC and the device queue: where it starts the next packet, whether it touches per-operation
 * context after that, whether it completes the current IRP, and whether a path that ended the
 * device's operation (flushed its DMA transfer or set the IRP's status, or, before the DPC ran, the
 * ISR cleared the flag that lets it service the operation) goes on to complete the IRP or to start
 * more work. Checks StartNextPacketTooEarly, DpcMissingStartNext (only for drivers
 * with a StartIo routine) and DpcIrpNotCompleted.
 */
final class DpcQueue implements PathEngine.Property<DpcQueue.State> {
    /**
     * @param startedNext the IoStartNextPacket(ByKey) call in the routine's own code, as a position key, or null
     * @param startedDevice the device it started the next packet of, as a key ({@link IndexMoves} applied)
     * @param elements the locals that hold an array element, with the element's key ({@code device} for
     *     {@code board.Channels[i]}), index moves applied
     * @param completedCurrent whether the current IRP was completed
     * @param current the expressions that hold the current IRP
     * @param ended whether the path ended the device's operation (flushed its transfer, or set the IRP's status)
     * @param followedUp whether the path then completed the IRP or started more work on the device
     * @param none whether the path found that there is no current IRP ({@code if (irp == null) return;})
     * @param owed the IRPs the path took charge of and has not completed or handed on, each told as
     *     the rest of a sentence ("throws away the IRP that 'Finish' at line 9 finished"): by the local
     *     that holds one taken off one of the driver's queues, or "" for one a helper finished and the
     *     path threw away
     */
    record State(String startedNext, String startedDevice, boolean completedCurrent, TreeSet<String> current, boolean ended,
            boolean followedUp, boolean none, java.util.TreeMap<String, String> owed,
            java.util.TreeMap<String, String> elements) {
        // written out: the generated methods go through method handles, slow in the client compiler
        @Override
        public boolean equals(Object o) {
            return o instanceof State x && x.completedCurrent == completedCurrent && x.ended == ended
                    && x.followedUp == followedUp && x.none == none && java.util.Objects.equals(x.startedNext, startedNext)
                    && java.util.Objects.equals(x.startedDevice, startedDevice) && x.current.equals(current)
                    && x.owed.equals(owed) && x.elements.equals(elements);
        }

        @Override
        public int hashCode() {
            return ((((java.util.Objects.hashCode(startedNext) * 31 + java.util.Objects.hashCode(startedDevice)) * 31
                    + current.hashCode()) * 31 + owed.hashCode()) * 31 + elements.hashCode()) * 16
                    + (completedCurrent ? 8 : 0) + (ended ? 4 : 0) + (followedUp ? 2 : 0) + (none ? 1 : 0);
        }

        State started(String site, String device) {
            return new State(site, device, completedCurrent, current, ended, followedUp, none, owed, elements);
        }

        State completed() {
            return new State(startedNext, startedDevice, true, current, ended, true, none, owed, elements);
        }

        State current(TreeSet<String> c) {
            return new State(startedNext, startedDevice, completedCurrent, c, ended, followedUp, none, owed, elements);
        }

        State end() {
            return new State(startedNext, startedDevice, completedCurrent, current, true, followedUp, none, owed, elements);
        }

        State owing(String key, String told) {
            java.util.TreeMap<String, String> o = new java.util.TreeMap<>(owed);
            o.put(key, told);
            return new State(startedNext, startedDevice, completedCurrent, current, ended, followedUp, none, o, elements);
        }

        State paid(String key) {
            java.util.TreeMap<String, String> o = new java.util.TreeMap<>(owed);
            o.remove(key);
            return new State(startedNext, startedDevice, completedCurrent, current, ended, followedUp, none, o, elements);
        }

        State followUp() {
            return new State(startedNext, startedDevice, completedCurrent, current, ended, true, none, owed, elements);
        }
    }

    /**
     * Calls that start more work for the IRP or hand it on: a transfer or controller asked for, a
     * waiting thread woken, another DPC or a timer that takes it up.
     */
    private static final java.util.Set<String> MORE_WORK = java.util.Set.of("AllocateAdapterChannel",
            "IoAllocateController", "KeSetEvent", "KeInsertQueueDpc", "KeSetTimer", "KeSetTimerEx", "IoStartTimer");

    private final Analysis analysis;
    private final java.util.Map<String, CtElement> sites = new java.util.HashMap<>();
    /** For a start made by handing a dequeued IRP to a routine of the driver's: that routine, by the start's key. */
    private final java.util.Map<String, spoon.reflect.declaration.CtExecutable<?>> starters = new java.util.HashMap<>();

    private DpcQueue(Analysis analysis) {
        this.analysis = analysis;
    }

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return EngineRule.once(analysis, "DpcQueue", () -> new DpcQueue(analysis));
    }

    @Override
    public State initial(DriverModel.Routine routine) {
        if (!routine.role().isDpc()) {
            return null;
        }
        TreeSet<String> current = new TreeSet<>();
        if (routine.role() == Role.DPC_FOR_ISR && routine.body().getParameters().size() == 4
                && !Boolean.FALSE.equals(CurrentIrp.handedToDpcForIsr(analysis, routine.body()))) {
            current.add(routine.body().getParameters().get(2).getSimpleName());
        }
        boolean ended = Wdm.interruptDpc(analysis, routine) && !endFlags(routine).isEmpty();
        return new State(null, null, false, current, ended, false, false, new java.util.TreeMap<>(),
                new java.util.TreeMap<>());
    }

    /**
     * The flags whose clearing by the ISR ended the device's operation before it queued this DPC:
     * at every DPC queue call the ISR has written {@code !F} (or {@code F == null}, ...), and it
     * only ever queues where {@code F} holds ({@code if (!ext.CommandActive) return false;}). Until
     * something raises the flag again, the ISR services no more of the operation, so the DPC is
     * what must finish it; writing the flag again is starting more work.
     */
    private java.util.Set<String> endFlags(DriverModel.Routine routine) {
        String driver = DriverModel.driverOf(routine.body());
        return analysis.cached("dpcEndFlags:" + driver, () -> {
            IsrGuards guards = IsrGuards.of(analysis);
            java.util.Set<String> flags = new TreeSet<>();
            for (String atom : guards.writtenAtQueue(driver)) {
                if (guards.excluded(IsrGuards.dpcRequest(routine.body()), java.util.Set.of(atom))) {
                    flags.add(IsrGuards.fieldOf(atom));
                }
            }
            return flags;
        });
    }

    /**
     * On the branch where a local that held the current IRP is null, there is no current IRP; where
     * one that held an IRP taken off a queue is null ({@code while ((irp = q.poll()) != null)}), none was taken.
     */
    @Override
    public State branch(CtExpression<?> condition, boolean outcome, PathEngine<State>.Step step, State s) {
        if (!s.owed.isEmpty() && condition instanceof spoon.reflect.code.CtBinaryOperator<?> n
                && (n.getKind() == spoon.reflect.code.BinaryOperatorKind.EQ) == outcome
                && (n.getKind() == spoon.reflect.code.BinaryOperatorKind.EQ
                || n.getKind() == spoon.reflect.code.BinaryOperatorKind.NE)
                && n.getRightHandOperand() instanceof spoon.reflect.code.CtLiteral<?> nil && nil.getValue() == null) {
            CtExpression<?> tested = n.getLeftHandOperand();
            if (tested instanceof spoon.reflect.code.CtAssignment<?, ?> a) {
                tested = a.getAssigned();
            }
            if (tested instanceof spoon.reflect.code.CtVariableAccess<?> v && !(tested instanceof CtFieldAccess<?>)
                    && s.owed.containsKey(Wdm.scoped(step, v.getVariable().getSimpleName()))) {
                return s.paid(Wdm.scoped(step, v.getVariable().getSimpleName()));
            }
        }
        if (condition instanceof spoon.reflect.code.CtBinaryOperator<?> b
                && (b.getKind() == spoon.reflect.code.BinaryOperatorKind.EQ
                || b.getKind() == spoon.reflect.code.BinaryOperatorKind.NE)
                && b.getRightHandOperand() instanceof spoon.reflect.code.CtLiteral<?> lit && lit.getValue() == null
                && (b.getKind() == spoon.reflect.code.BinaryOperatorKind.EQ) == outcome
                && (isCurrentIrpRead(b.getLeftHandOperand()) || b.getLeftHandOperand() instanceof CtVariableRead<?> v
                && s.current.contains(step.key(v)))) {
            // the expressions in the set all hold the one current IRP: there is none
            return new State(s.startedNext, s.startedDevice, s.completedCurrent, new TreeSet<>(), s.ended, s.followedUp,
                    true, s.owed, s.elements);
        }
        return s;
    }

    @Override
    public State event(PathEngine<State>.Step step, State in) {
        CtElement e = step.element();
        State s = in;
        if (!s.owed.isEmpty()) {
            s = handedOn(step, s);
        }
        // an IRP taken off one of the driver's queues is owed from here on
        String local = null;
        String queue = null;
        if (e instanceof CtLocalVariable<?> l) {
            local = l.getSimpleName();
            queue = taken(l.getDefaultExpression(), l.getType());
        } else if (e instanceof spoon.reflect.code.CtVariableWrite<?> w && !(e instanceof CtFieldWrite<?>)
                && w.getParent() instanceof spoon.reflect.code.CtAssignment<?, ?> a && a.getAssigned() == w) {
            local = w.getVariable().getSimpleName();
            queue = taken(a.getAssignment(), w.getType());
        }
        if (queue != null) {
            s = s.owing(Wdm.scoped(step, local), "takes an IRP off '" + queue + "' at line "
                    + e.getPosition().getLine() + " and");
        }
        if (e instanceof CtLocalVariable<?> l) {
            TreeSet<String> cur = new TreeSet<>(s.current);
            if (isCurrentIrpRead(l.getDefaultExpression()) || l.getDefaultExpression() instanceof CtVariableRead<?> v
                    && s.current.contains(step.key(v))) {
                cur.add(l.getSimpleName());
            } else {
                cur.remove(l.getSimpleName());
            }
            // a local that holds an array element ({@code DeviceObject device = board.Channels[i];}) names it
            java.util.TreeMap<String, String> elements = new java.util.TreeMap<>(s.elements);
            // only an object (a device, a unit's extension): a number read from an array is no unit of its own
            String element = l.getDefaultExpression() == null || l.getType() == null || l.getType().isPrimitive()
                    || !l.getDefaultExpression().toString().contains("[") ? null
                    : resolve(s, step.key(l.getDefaultExpression()));
            if (element != null && element.contains("[")) {
                elements.put(l.getSimpleName(), element);
            } else {
                elements.remove(l.getSimpleName());
            }
            return new State(s.startedNext, s.startedDevice, s.completedCurrent, cur, s.ended, s.followedUp, s.none,
                    s.owed, elements);
        }
        if (Wdm.calls(e, "IoStartNextPacket", "IoStartNextPacketByKey")) {
            if (s.startedNext != null) {
                return s;
            }
            String key = DriverModel.positionKey(step.site());
            sites.put(key, step.site());
            return s.started(key, Wdm.arg(e, 0) == null ? null : resolve(s, step.key(Wdm.arg(e, 0))));
        }
        if ((s.startedDevice != null || !s.elements.isEmpty()) && e instanceof spoon.reflect.code.CtVariableWrite<?> v
                && !(e instanceof CtFieldWrite<?>)) {
            String var = v.getVariable().getSimpleName();
            char direction = IndexMoves.direction(v);
            String device = s.startedDevice == null ? null : IndexMoves.moved(s.startedDevice, var, direction);
            java.util.TreeMap<String, String> elements = new java.util.TreeMap<>();
            s.elements.forEach((name, element) -> {
                if (!name.equals(var)) {
                    elements.put(name, IndexMoves.moved(element, var, direction));
                }
            });
            return java.util.Objects.equals(device, s.startedDevice) && elements.equals(s.elements) ? s
                    : new State(s.startedNext, device, s.completedCurrent, s.current, s.ended, s.followedUp, s.none,
                            s.owed, elements);
        }
        if (Wdm.calls(e, "IoCompleteRequest")) {
            CtExpression<?> irp = Wdm.arg(e, 0);
            return current(step, s, irp) ? s.completed() : s.followUp();
        }
        if (Wdm.calls(e, "FlushAdapterBuffers")) {
            return s.end();
        }
        if (!s.owed.containsKey("") && e instanceof spoon.reflect.code.CtInvocation<?> call
                && call.getParent() instanceof spoon.reflect.code.CtBlock<?> && finishesAndReturnsIrp(call)) {
            return s.owing("", "throws away the IRP that '" + call.getExecutable().getSimpleName() + "' at line "
                    + step.site().getPosition().getLine() + " finished");
        }

        String called = Wdm.called(e);
        if (called != null && (called.equals("MapTransfer") || called.equals("KeSynchronizeExecution") && programs(e)
                || MORE_WORK.contains(called) || Wdm.writesDevice(called))) {
            return s.followUp();
        }
        if (s.ended && e instanceof CtFieldWrite<?> w && FieldFacts.driverField(w.getVariable())
                && (endFlags(step.routine()).contains(FieldFacts.key(w.getVariable()))
                || w.getParent() instanceof spoon.reflect.code.CtAssignment<?, ?> a && a.getAssigned() == w
                && current(step, s, a.getAssignment()))) {
            // the flag raised again for the rest of the operation, or the IRP handed to whoever takes it from the field
            return s.followUp();
        }
        CtExpression<?> statusOf = Wdm.statusWriteTarget(e);
        if (statusOf != null && current(step, s, statusOf)) {
            return s.end();
        }
        if (s.startedNext == null && e instanceof spoon.reflect.code.CtInvocation<?> call && Wdm.called(e) == null) {
            // a driver that keeps its own queue starts the next request when it hands an IRP it took off the
            // queue to a routine that programs the device
            CtElement taken = dequeued(call);
            spoon.reflect.declaration.CtExecutable<?> callee = taken == null ? null
                    : Analysis.declaration(call.getExecutable());
            if (callee != null && callee.getBody() != null && Wdm.startsDevice(analysis, callee)) {
                String key = DriverModel.positionKey(taken);
                sites.put(key, taken);
                starters.put(key, callee);
                CtExpression<?> owner = queueOf((CtExpression<?>) taken).getTarget();
                return s.started(key, owner == null ? null : resolve(s, step.key(owner)));
            }
        }
        spoon.reflect.declaration.CtExecutable<?> starter = s.startedNext == null ? null : starters.get(s.startedNext);
        if (starter != null && (analysis.driver().reachableFrom(starter, true).contains(step.body())
                || s.startedDevice != null && (s.startedDevice.contains("+]") || s.startedDevice.contains("-]")))) {
            // the start itself; or a loop over units went on to the next one, whose queue and context are its own
            return s;
        }
        if (starter != null && e instanceof spoon.reflect.code.CtInvocation<?> read && Wdm.called(e) != null
                && (Wdm.called(e).startsWith("READ_REGISTER_") || Wdm.called(e).startsWith("READ_PORT_"))
                && registersWritten(starter).contains(IsrGuards.register(analysis, read))) {
            step.reportAtSite("StartNextPacketTooEarly", sites.get(s.startedNext), "'" + starter.getSimpleName()
                    + "' starts the next request before the read at line " + step.site().getPosition().getLine()
                    + " of a device register it writes; the operation it starts may overwrite it.");
        }
        if (s.startedNext != null && e instanceof CtFieldAccess<?> a) {
            String field = null;
            if (isCurrentIrpRead(a) && !(a.getTarget() != null && s.startedDevice != null
                    && IndexMoves.otherElement(s.startedDevice, resolve(s, step.key(a.getTarget()))))) {
                // (not the current IRP of another element of the device array the loop went on to)
                field = FieldFacts.driverField(a.getVariable()) ? FieldFacts.name(a.getVariable()) : "DeviceObject.CurrentIrp";
            } else if (FieldFacts.driverField(a.getVariable())
                    && (analysis.fields().operationContext(FieldFacts.key(a.getVariable()))
                    || starter != null && FieldFacts.writtenFrom(starter).contains(FieldFacts.key(a.getVariable())))
                    && !(s.startedDevice != null && (a.getTarget() != null
                    && IndexMoves.otherElement(s.startedDevice, String.valueOf(resolve(s, extensionOf(step, a.getTarget()))))
                    || IndexMoves.movedIndexOf(s.startedDevice, a)))) {
                field = FieldFacts.name(a.getVariable());
            }
            if (field != null) {
                CtElement started = sites.get(s.startedNext);
                String routine = starter != null ? starter.getSimpleName()
                        : Wdm.called(started) != null ? Wdm.called(started) : "IoStartNextPacket";
                int line = step.site().getPosition().getLine();
                step.reportAtSite("StartNextPacketTooEarly", started, "'" + routine + "' "
                        + (starter != null ? "starts the next request, taken here, before the last " : "is called before the last ")
                        + (a instanceof CtFieldWrite<?> ? "write" : "read") + " of '" + field + "' at line " + line
                        + "; the operation it starts may overwrite it.");
            }
        }
        return s;
    }

    /**
     * The state after an event that may pay what the path owes: an owed IRP completed, handed to a
     * call (the driver's routines, the I/O manager's, a collection's add), stored in a field, an
     * array or another variable, or assigned anew. Calls that only look at the IRP, or take it as a
     * tag, do not count.
     */
    private State handedOn(PathEngine<State>.Step step, State s) {
        CtElement e = step.element();
        if (e instanceof spoon.reflect.code.CtInvocation<?> call && !LOOKS_ONLY.contains(String.valueOf(Wdm.called(e)))) {
            State out = s;
            for (CtExpression<?> arg : call.getArguments()) {
                if (arg instanceof CtVariableRead<?> v && !(arg instanceof CtFieldRead<?>)) {
                    String key = Wdm.scoped(step, v.getVariable().getSimpleName());
                    if (out.owed.containsKey(key)) {
                        out = out.paid(key);
                    }
                }
            }
            return out;
        }
        if (e instanceof CtLocalVariable<?> l && l.getDefaultExpression() instanceof CtVariableRead<?> v
                && s.owed.containsKey(Wdm.scoped(step, v.getVariable().getSimpleName()))) {
            return s.paid(Wdm.scoped(step, v.getVariable().getSimpleName()));
        }
        if (e instanceof spoon.reflect.code.CtVariableWrite<?> || e instanceof spoon.reflect.code.CtArrayWrite<?>) {
            State out = s;
            if (e instanceof spoon.reflect.code.CtVariableWrite<?> w && !(e instanceof CtFieldWrite<?>)
                    && out.owed.containsKey(Wdm.scoped(step, w.getVariable().getSimpleName()))) {
                // assigned anew (what it held is no longer reachable through it: not followed further)
                out = out.paid(Wdm.scoped(step, w.getVariable().getSimpleName()));
            }
            if (e.getParent() instanceof spoon.reflect.code.CtAssignment<?, ?> a
                    && a.getAssignment() instanceof CtVariableRead<?> v && !(a.getAssignment() instanceof CtFieldRead<?>)
                    && out.owed.containsKey(Wdm.scoped(step, v.getVariable().getSimpleName()))) {
                out = out.paid(Wdm.scoped(step, v.getVariable().getSimpleName()));
            }
            return out;
        }
        return s;
    }

    /** A helper that returns an IRP it took hands it to its caller. */
    @Override
    public State returned(PathEngine<State>.Step step, State s) {
        if (!s.owed.isEmpty() && step.element() instanceof spoon.reflect.code.CtReturn<?> r
                && r.getReturnedExpression() instanceof CtVariableRead<?> v && !(v instanceof CtFieldRead<?>)) {
            return s.paid(Wdm.scoped(step, v.getVariable().getSimpleName()));
        }
        return s;
    }

    /** The routines that only look at an IRP, or take it as a tag: it is not handed on to them. */
    private static final java.util.Set<String> LOOKS_ONLY = java.util.Set.of("IoGetCurrentIrpStackLocation",
            "IoGetNextIrpStackLocation", "IoAcquireRemoveLock", "IoReleaseRemoveLock", "IoReleaseRemoveLockAndWait",
            "IoCopyCurrentIrpStackLocationToNext", "IoSkipCurrentIrpStackLocation", "IoMarkIrpPending");

    /**
     * For an IRP value taken off a queue the driver keeps in a field ({@code uart.Reads.pollFirst()}):
     * the queue's text; else null. {@code type}, when known, must be the IRP type.
     */
    private static String taken(CtExpression<?> value, spoon.reflect.reference.CtTypeReference<?> type) {
        CtFieldRead<?> queue = queueOf(value);
        if (queue == null || !FieldFacts.driverField(queue.getVariable())) {
            return null;
        }
        spoon.reflect.reference.CtTypeReference<?> t = type != null ? type : value.getType();
        return t != null && t.getQualifiedName().equals(dev.dpccheck.wdm.Irp.class.getName()) ? queue.toString() : null;
    }

    /**
     * The field of the queue an expression takes the next element off: {@code lun.Pending} of a
     * java.util queue's {@code lun.Pending.pollFirst()}, of a LIST_ENTRY list's
     * {@code CONTAINING_RECORD(RemoveHeadList(lun.Pending), Irp.class)}, or of a cancel-safe
     * queue's {@code IoCsqRemoveNextIrp(lun.Pending, null)}; else null.
     */
    private static CtFieldRead<?> queueOf(CtExpression<?> value) {
        if (!(value instanceof spoon.reflect.code.CtInvocation<?> take)) {
            return null;
        }
        String name = take.getExecutable().getSimpleName();
        if (DEQUEUE.contains(name)) {
            return take.getTarget() instanceof CtFieldRead<?> queue ? queue : null;
        }
        List<CtExpression<?>> args = take.getArguments();
        if (name.equals("CONTAINING_RECORD") && args.size() == 2 && args.get(0) instanceof spoon.reflect.code.CtInvocation<?> inner
                && LIST_DEQUEUE.contains(inner.getExecutable().getSimpleName())) {
            return queueOf(inner);
        }
        return (LIST_DEQUEUE.contains(name) || CSQ_DEQUEUE.contains(name)) && !args.isEmpty()
                && args.get(0) instanceof CtFieldRead<?> queue ? queue : null;
    }

    /** The methods that take the next element off a java.util queue. */
    private static final java.util.Set<String> DEQUEUE = java.util.Set.of("poll", "pollFirst", "pollLast", "remove",
            "removeFirst", "removeLast", "pop", "take");
    /** The WDM routines that take an entry off a LIST_ENTRY list, whose record CONTAINING_RECORD gives. */
    private static final java.util.Set<String> LIST_DEQUEUE = java.util.Set.of("RemoveHeadList", "RemoveTailList",
            "ExInterlockedRemoveHeadList");
    /** The WDM routines that take an IRP off a cancel-safe queue. */
    private static final java.util.Set<String> CSQ_DEQUEUE = java.util.Set.of("IoCsqRemoveNextIrp", "IoCsqRemoveIrp");

    /**
     * For a call that is handed an IRP local taken off a queue the driver keeps in a field ({@code
     * Irp next = lun.PendingQueue.pollFirst()}): that taking call; else null.
     */
    private static CtElement dequeued(spoon.reflect.code.CtInvocation<?> call) {
        for (CtExpression<?> arg : call.getArguments()) {
            if (arg instanceof CtVariableRead<?> v && !(arg instanceof CtFieldRead<?>)
                    && Analysis.variable(v.getVariable()) instanceof CtLocalVariable<?> l && l.getType() != null
                    && taken(l.getDefaultExpression(), l.getType()) != null) {
                return l.getDefaultExpression();
            }
        }
        return null;
    }

    /** The device registers and ports {@code starter}, with what it runs, writes ({@link IsrGuards#register}). */
    private java.util.Set<String> registersWritten(spoon.reflect.declaration.CtExecutable<?> starter) {
        return analysis.memo("registersWritten", starter, () -> {
            java.util.Set<String> out = new TreeSet<>();
            for (spoon.reflect.declaration.CtExecutable<?> b : analysis.driver().reachableFrom(starter, true)) {
                for (spoon.reflect.code.CtInvocation<?> call : Analysis.elementsIn(b, spoon.reflect.code.CtInvocation.class)) {
                    if (Wdm.writesDevice(Wdm.called(call))) {
                        out.add(IsrGuards.register(analysis, call));
                    }
                }
            }
            return out;
        });
    }

    /** A key with its head, where it is a local that holds an array element, replaced by the element's key. */
    private static String resolve(State s, String key) {
        if (key == null || s.elements.isEmpty()) {
            return key;
        }
        int end = 0;
        while (end < key.length() && ".[(".indexOf(key.charAt(end)) < 0) {
            end++;
        }
        String element = s.elements.get(key.substring(0, end));
        return element == null ? key : element + key.substring(end);
    }

    /**
     * For the extension of a device ({@code (PortExtension) device.DeviceExtension}, or a local
     * that only ever holds it), the key of the device; otherwise null.
     */
    private static String extensionOf(PathEngine<State>.Step step, CtExpression<?> e) {
        CtExpression<?> x = Wdm.initialValue(e, 1);
        return x instanceof CtFieldRead<?> f && f.getVariable().getSimpleName().equals("DeviceExtension")
                && f.getTarget() != null ? step.key(f.getTarget()) : null;
    }

    /** Whether a KeSynchronizeExecution call runs a SynchCritSection that programs the device (starts more work). */
    private boolean programs(CtElement call) {
        spoon.reflect.declaration.CtExecutable<?> sync = DriverModel.target(Wdm.arg(call, 1));
        return sync == null || Wdm.programsDevice(analysis, sync);
    }

    /** Whether {@code irp} is the current IRP on this path: read as such, or a local that took it. */
    private boolean current(PathEngine<State>.Step step, State s, CtExpression<?> irp) {
        return isCurrentIrpRead(irp) || s.current.contains(step.key(irp));
    }

    private boolean isCurrentIrpRead(CtElement e) {
        return CurrentIrp.read(analysis, e);
    }

    /**
     * Whether a call, whose result the caller throws away, is to a helper that finishes an IRP and
     * hands it back for completing: it sets the status of the IRP it returns on every return, and
     * neither passes that IRP on nor stores it anywhere. Its arguments are the caller's temporaries
     * (a request just taken off a list, constants), so nothing else still leads to the IRP.
     */
    private boolean finishesAndReturnsIrp(spoon.reflect.code.CtInvocation<?> call) {
        if (Wdm.called(call) != null) {
            return false;
        }
        for (CtExpression<?> a : call.getArguments()) {
            if (a instanceof CtVariableRead<?> && !(a instanceof CtFieldRead<?>)) {
                return false;
            }
        }
        spoon.reflect.declaration.CtExecutable<?> callee = Analysis.declaration(call.getExecutable());
        if (callee == null || callee.getBody() == null || callee.getType() == null
                || !callee.getType().getQualifiedName().equals(dev.dpccheck.wdm.Irp.class.getName())) {
            return false;
        }
        return analysis.memo("finishesAndReturnsIrp", callee, () -> {
            spoon.reflect.declaration.CtElement returned = null;
            for (spoon.reflect.code.CtReturn<?> r : Analysis.elementsIn(callee, spoon.reflect.code.CtReturn.class)) {
                if (!(r.getReturnedExpression() instanceof CtVariableRead<?> v) || v instanceof CtFieldRead<?>
                        || returned != null && returned != Analysis.variable(v.getVariable())) {
                    return false;
                }
                returned = Analysis.variable(v.getVariable());
            }
            if (returned == null) {
                return false;
            }
            boolean statusSet = false;
            for (CtVariableRead<?> v : Analysis.elementsIn(callee, CtVariableRead.class)) {
                if (v instanceof CtFieldRead<?> || Analysis.variable(v.getVariable()) != returned) {
                    continue;
                }
                CtElement p = v.getParent();
                if (p instanceof spoon.reflect.code.CtReturn<?>) {
                    continue;
                }
                if (p instanceof CtFieldRead<?> io && io.getVariable().getSimpleName().equals("IoStatus")) {
                    statusSet |= Wdm.statusWriteTarget(io.getParent()) == v;
                    continue;
                }
                if (p instanceof CtFieldRead<?> other && other.getTarget() == v) {
                    continue;
                }
                // passed to a call, stored, or compared: handed somewhere else, or not only finished
                return false;
            }
            return statusSet;
        });
    }

    /** Whether the routine, or what it calls, reads the device's current IRP (a field that holds nothing else). */
    private boolean readsCurrent(DriverModel.Routine routine) {
        return analysis.cached("dpcReadsCurrent:" + DriverModel.positionKey(routine.body()), () -> {
            for (spoon.reflect.declaration.CtExecutable<?> b : analysis.driver().reachableFrom(routine.body(), true)) {
                for (CtFieldRead<?> r : Analysis.elementsIn(b, CtFieldRead.class)) {
                    if (isCurrentIrpRead(r)) {
                        return true;
                    }
                }
            }
            return false;
        });
    }

    @Override
    public void exit(PathEngine<State>.Exit exit, State s) {
        // only a DPC that has a current IRP (its DpcForIsr argument, DeviceObject.CurrentIrp or a field that
        // holds only it) can leave it behind, and not on a path that found it null; one that completes IRPs
        // from the driver's own lists owes none
        if (!s.owed.isEmpty()) {
            exit.report("DpcIrpNotCompleted", Wdm.routineName(exit.routine()) + " "
                    + s.owed.firstEntry().getValue() + " returns without completing it.");
        } else if (s.ended && !s.followedUp && !s.none && (!s.current.isEmpty() || readsCurrent(exit.routine()))) {
            exit.report("DpcIrpNotCompleted", Wdm.routineName(exit.routine()) + " ends the device's operation and"
                    + " returns without completing the IRP or starting more work.");
        }
        if (s.completedCurrent && s.startedNext == null
                && analysis.driver().has(Role.START_IO, exit.routine().body())) {
            exit.report("DpcMissingStartNext", Wdm.routineName(exit.routine())
                    + " completes the current IRP and returns without 'IoStartNextPacket'.");
        }
    }
}
