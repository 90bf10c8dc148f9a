package dev.dpccheck.kernel;

import dev.dpccheck.kernel.hw.SimDevice;

/**
 * One option of a scheduling decision: who acts, with an identity that stays the same for the same
 * context across the decisions of a schedule and across schedules of the same driver (a processor's
 * thread, a DPC of one KDPC object, the ISR of one interrupt, a device, a timer), and what it does
 * if chosen (its pending operation: a {@code Wdm} call, a field or array access, a device event).
 * Strategies see only this: {@link #actor()}, {@link #operation()}, and for those that tell racing
 * operations apart, {@link #target()} and {@link #writes()}.
 */
public final class Option {
    /** What choosing the option does. */
    public enum Kind {
        /** A context on a processor goes on to its pending operation. */
        RESUME,
        /** The processor runs the first DPC of its queue. */
        START_DPC,
        /** A ready thread is put on an idle processor. */
        DISPATCH,
        /** A ready thread takes the processor of a thread at PASSIVE_LEVEL or APC_LEVEL, which is preempted. */
        PREEMPT,
        /** An asserted interrupt is delivered to a processor. */
        INTERRUPT,
        /**
         * A device's next internal event happens (a transfer ends, a character arrives): one that is
         * due, or one under way that may end sooner ({@link SimDevice#mayHurry}), brought forward.
         */
        DEVICE,
        /** A timer that is due expires. */
        TIMER,
        /** A timer's DPC is queued on this processor. */
        PLACE
    }

    final Kind kind;
    final Processor cpu;
    final KContext context;
    final InterruptObject interrupt;
    final SimDevice device;
    final TimerObject timer;
    /** For PREEMPT: the thread that leaves the processor. */
    final KContext victim;
    /** For DEVICE and TIMER: the virtual time of the event. */
    final long time;
    private final String actor;

    Option(Kind kind, Processor cpu, KContext context, InterruptObject interrupt, SimDevice device,
            TimerObject timer, long time, String actor) {
        this(kind, cpu, context, null, interrupt, device, timer, time, actor);
    }

    Option(Kind kind, Processor cpu, KContext context, KContext victim, InterruptObject interrupt, SimDevice device,
            TimerObject timer, long time, String actor) {
        this.victim = victim;
        this.kind = kind;
        this.cpu = cpu;
        this.context = context;
        this.interrupt = interrupt;
        this.device = device;
        this.timer = timer;
        this.time = time;
        this.actor = actor;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Who acts: {@code System}, {@code User thread 1 of dmadisk0}, {@code DPC DpcForIsr of dmadisk0},
     * {@code ISR of dmadisk0}, {@code device dmadisk0}, {@code timer 2 (WatchdogDpc)}. The same
     * identity for the same context throughout a schedule: what PCT gives its priorities to.
     */
    public String actor() {
        return actor;
    }

    /** The processor the option runs on, or -1 (a device event, a timer). */
    public int processor() {
        return cpu == null ? -1 : cpu.number;
    }

    /** What the actor does if chosen: its pending operation, in words. */
    public String operation() {
        switch (kind) {
            case RESUME:
                return context.pending.describe() + " on CPU" + cpu.number;
            case START_DPC:
                return "starts on CPU" + cpu.number;
            case DISPATCH:
                return "is dispatched on CPU" + cpu.number;
            case PREEMPT:
                return "preempts " + victim.identity + " on CPU" + cpu.number;
            case INTERRUPT:
                return "is delivered on CPU" + cpu.number;
            case DEVICE:
                return "event at " + time + " us";
            case TIMER:
                return "expires at " + time + " us";
            case PLACE:
                return "is queued on CPU" + cpu.number;
            default:
                throw new IllegalStateException(kind.toString());
        }
    }

    /**
     * What the pending operation touches that another context may touch too ({@code
     * DiskExtension#3.Busy}, {@code int[]#7[2]}, {@code KSPIN_LOCK#2}, {@code registers of
     * dmadisk0}), or null: two options with the same target, one of them writing, race.
     */
    public String target() {
        switch (kind) {
            case RESUME:
                return context.pending.target();
            case INTERRUPT:
                return "interrupt of " + interrupt.device.name();
            case DEVICE:
                return "registers of " + device.name();
            default:
                return null;
        }
    }

    /** Whether the pending operation writes its target (a lock acquired or released counts as a write). */
    public boolean writes() {
        return kind != Kind.RESUME || context.pending.writes();
    }

    /**
     * Whether the option goes on with, or preempts, a context where a directed search looks: in a
     * method that holds a line of the search's {@link Goal}, or about to touch a field accessed at one.
     */
    public boolean focused() {
        if (kind == Kind.RESUME) {
            return context.pending.inFocus(context);
        }
        return kind == Kind.PREEMPT && victim.pending.inFocus(victim);
    }

    /** The option in one line: actor and operation, as traces record it. */
    public String label() {
        return actor + ": " + operation();
    }

    @Override
    public String toString() {
        return label();
    }
}
