package dev.dpccheck.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One schedulable context: a thread (system or user), or a DPC or ISR activation on a processor.
 * Each runs driver code on its own Java thread; the scheduler lets exactly one run at a time.
 */
final class KContext {
    enum Kind { THREAD, DPC, ISR }

    enum State { NEW, RUNNABLE, BLOCKED, DONE }

    final int id;
    final Kind kind;
    final String name;
    /** Who it is in options and traces, the same across its activations: a thread's name, a DPC's or ISR's identity. */
    final String identity;
    /** What it does when next chosen. */
    final Pending pending;
    final Runnable body;
    State state = State.NEW;
    /** The processor the context is on; null for a thread that is off every processor. */
    Processor cpu;
    /** For DPC and ISR: the processor's IRQL before it was pushed. For threads off a CPU: their IRQL. */
    int savedIrql;
    /** While BLOCKED: when it may continue. */
    BooleanSupplier unblock;
    /** While BLOCKED: whether it keeps its processor (spinning) or leaves it (waiting). */
    boolean spinning;
    /** What it waits for, for deadlock reports. */
    String waitingFor;
    /** Executive spin locks it holds, in acquisition order. */
    final List<Object> heldLocks = new ArrayList<>();
    /** Routines the kernel called in this context and that have not returned, innermost last. */
    final List<RoutineFrame> frames = new ArrayList<>();
    /** The number of instrumented driver method frames on this context's Java stack. */
    int driverDepth;
    /** The ids of those methods, outermost first (the first {@link #driverDepth} entries are live). */
    private int[] methods = new int[16];

    void enterMethod(int methodId) {
        if (driverDepth == methods.length) {
            methods = java.util.Arrays.copyOf(methods, methods.length * 2);
        }
        methods[driverDepth++] = methodId;
    }

    /**
     * Before the exit of method {@code methodId}: frames above its innermost entry were unwound by
     * an exception without running their exit hook, so the depth drops to that entry.
     */
    void unwindTo(int methodId) {
        for (int i = driverDepth - 1; i >= 0; i--) {
            if (methods[i] == methodId) {
                driverDepth = i + 1;
                return;
            }
        }
    }

    /** Whether one of {@code ids} is among the driver methods on this context's stack. */
    boolean inAnyMethod(java.util.BitSet ids) {
        for (int i = 0; i < driverDepth; i++) {
            if (ids.get(methods[i])) {
                return true;
            }
        }
        return false;
    }

    void exitMethod() {
        if (driverDepth > 0) {
            driverDepth--;
        }
    }
    volatile Worker worker;
    /** Its thread in the happens-before order, and its vector clock there (null until it starts). */
    int tid;
    HappensBefore.Clock clock;
    long steps;
    /** While BLOCKED on a time: the virtual time it wakes at; else Long.MAX_VALUE. */
    long wakeAt = Long.MAX_VALUE;

    KContext(int id, Kind kind, String name, String identity, Pending pending, Runnable body) {
        this.id = id;
        this.kind = kind;
        this.name = name;
        this.identity = identity;
        this.pending = pending;
        this.body = body;
    }

    boolean runnable() {
        if (state == State.RUNNABLE || state == State.NEW) {
            return true;
        }
        return state == State.BLOCKED && unblock.getAsBoolean();
    }

    RoutineFrame frame() {
        return frames.isEmpty() ? null : frames.get(frames.size() - 1);
    }

    String currentRoutine() {
        RoutineFrame f = frame();
        return f == null ? name : f.name;
    }

    @Override
    public String toString() {
        return name;
    }
}
