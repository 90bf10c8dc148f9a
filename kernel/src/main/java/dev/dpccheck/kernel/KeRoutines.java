package dev.dpccheck.kernel;

import dev.dpccheck.kernel.verifier.*;
import dev.dpccheck.wdm.*;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The kernel core's routines (Ke): DPC objects and their queues, interrupt objects and their
 * synchronization, spin locks, the IRQL, dispatcher objects (events, timers) and waits. Kernel
 * objects the driver allocates (KDPC, KSPIN_LOCK, KEVENT, KTIMER, KINTERRUPT) are opaque to it;
 * their state lives here, keyed by identity.
 */
final class KeRoutines extends Routines {
    KeRoutines(Kernel k) {
        super(k);
    }
    private final Map<Kdpc, DpcObject> dpcs = new IdentityHashMap<>();
    private final Map<KSpinLock, SpinLockObject> spinLocks = new IdentityHashMap<>();
    private final Map<KEvent, EventObject> events = new IdentityHashMap<>();
    private final Map<KTimer, TimerObject> ktimers = new IdentityHashMap<>();
    final Map<KInterrupt, InterruptObject> interruptObjects = new IdentityHashMap<>();

    // ---------------------------------------------------------------- DPCs

    boolean requestDpc(DpcObject dpc, Object a1, Object a2) {
        if (k.memory.isPaged(a2) || k.memory.isPaged(a1)) {
            k.monitor(DpcContextNotResident.class).paged();
        }
        RoutineFrame f = self().frame();
        if (f != null) {
            f.requestedDpc = true;
        }
        k.hb.release(self(), dpc);
        Object queued1 = dpc.argument1;
        Object queued2 = dpc.argument2;
        boolean inserted = k.queueDpc(dpc, cpu(), a1, a2);
        if (!inserted && (queued1 != a1 || queued2 != a2)) {
            dpc.lost.add(new Object[] {a1, a2, k.routineSite(self()), queued1});
        }
        return inserted;
    }

    public void KeInitializeDpc(Kdpc Dpc, KDeferredRoutine DeferredRoutine, Object DeferredContext) {
        dpcs.put(Dpc, new DpcObject(Dpc, (d, a1, a2) -> k.invoke(RoutineFrame.Role.CUSTOM_DPC, () -> {
            executive().transfersEnded();
            DeferredRoutine.CustomDpc(d.handle, DeferredContext, a1, a2);
            return 0;
        }), "CustomDpc", DeferredContext, "CustomDpc #" + k.nextObjectNumber()));
    }

    /** Registers the DPC object of a KDPC the kernel initialized (a device's DpcForIsr). */
    void register(Kdpc handle, DpcObject dpc) {
        dpcs.put(handle, dpc);
    }

    private DpcObject dpc(Kdpc d) {
        return object(dpcs, d, "A DPC object is used before 'KeInitializeDpc'.");
    }

    public boolean KeInsertQueueDpc(Kdpc Dpc, Object SystemArgument1, Object SystemArgument2) {
        return requestDpc(dpc(Dpc), SystemArgument1, SystemArgument2);
    }

    /**
     * DpcCoalescingLoss, when a run stalls or ends with work left: a queue request found its DPC
     * already queued with other arguments, so the DPC never ran with its own, and no later request
     * brought them. Reported where the driver made the request, which returned FALSE.
     */
    void reportLostDpcRequests() {
        for (DpcObject d : dpcs.values()) {
            for (Object[] l : d.lost) {
                k.monitor(DpcCoalescingLoss.class).lost(d.routine, k.fields.value(l[3]), k.fields.value(l[0]),
                        (StackTraceElement) l[2]);
            }
        }
    }

    public void KeFlushQueuedDpcs() {
        k.scheduler.block(self(), k::dpcsIdle, false, "queued DPCs", Long.MAX_VALUE);
        k.hb.acquire(self(), Kernel.DPCS_FLUSHED);
    }

    public boolean KeRemoveQueueDpc(Kdpc Dpc) {
        DpcObject d = dpc(Dpc);
        if (!d.queued) {
            return false;
        }
        for (Processor p : k.scheduler.cpus) {
            p.dpcQueue.remove(d);
        }
        d.queued = false;
        return true;
    }

    // ---------------------------------------------------------------- interrupts

    InterruptObject interrupt(KInterrupt i) {
        return object(interruptObjects, i, "An interrupt object is used that 'IoConnectInterrupt' did not create.");
    }

    public boolean KeSynchronizeExecution(KInterrupt Interrupt, KSynchronizeRoutine SynchronizeRoutine,
            Object SynchronizeContext) {
        InterruptObject io = interrupt(Interrupt);
        KContext self = self();
        Processor p = self.cpu;
        int old = p.irql;
        if (old > io.synchronizeIrql) {
            k.monitor(IrqlTooHigh.class).synchronizeAbove(old, io.synchronizeIrql);
        }
        p.irql = Math.max(old, io.synchronizeIrql);
        acquire(self, io.lock);
        boolean r;
        try {
            r = k.invoke(RoutineFrame.Role.SYNCH_CRIT_SECTION,
                    () -> SynchronizeRoutine.SynchCritSection(SynchronizeContext) ? 1 : 0) != 0;
        } finally {
            release(self, io.lock);
            p.irql = old;
        }
        return r;
    }

    public int KeAcquireInterruptSpinLock(KInterrupt Interrupt) {
        InterruptObject io = interrupt(Interrupt);
        KContext self = self();
        int old = self.cpu.irql;
        self.cpu.irql = Math.max(old, io.synchronizeIrql);
        acquire(self, io.lock);
        return old;
    }

    public void KeReleaseInterruptSpinLock(KInterrupt Interrupt, int OldIrql) {
        InterruptObject io = interrupt(Interrupt);
        release(self(), io.lock);
        lowerTo(OldIrql, "KeReleaseInterruptSpinLock");
    }

    // ---------------------------------------------------------------- spin locks

    SpinLockObject spinLock(KSpinLock l) {
        return object(spinLocks, l, "A spin lock is used before 'KeInitializeSpinLock'.");
    }

    void acquire(KContext self, SpinLockObject lock) {
        if (lock.owner == self) {
            throw k.monitor(SpinLock.class).reacquired(lock.name);
        }
        k.scheduler.block(self, () -> lock.owner == null, true, lock.name, Long.MAX_VALUE);
        lock.owner = self;
        self.heldLocks.add(lock);
        k.hb.acquire(self, lock);
    }

    void release(KContext self, SpinLockObject lock) {
        if (lock.owner != self) {
            k.monitor(SpinLock.class).releasedNotHeld(lock.name);
            return;
        }
        k.hb.release(self, lock);
        lock.owner = null;
        self.heldLocks.remove(lock);
    }

    void lowerTo(int newIrql, String routine) {
        Processor p = cpu();
        if (newIrql > p.irql) {
            k.monitor(IrqlKeRaiseLower.class).lowersAbove(routine, newIrql, p.irql);
        }
        RoutineFrame f = self().frame();
        if (f != null && f.role.isDpc() && newIrql < Wdm.DISPATCH_LEVEL) {
            k.monitor(IrqlKeRaiseLower.class).dpcLowers();
        }
        p.irql = newIrql;
    }

    public void KeInitializeSpinLock(KSpinLock SpinLock) {
        spinLocks.put(SpinLock, new SpinLockObject("KSPIN_LOCK#" + (spinLocks.size() + 1)));
    }

    public void KeAcquireSpinLock(KSpinLock SpinLock, Out<Integer> OldIrql) {
        SpinLockObject l = spinLock(SpinLock);
        Processor p = cpu();
        int old = p.irql;
        p.irql = Math.max(old, Wdm.DISPATCH_LEVEL);
        acquire(self(), l);
        OldIrql.value = old;
    }

    public void KeReleaseSpinLock(KSpinLock SpinLock, int NewIrql) {
        release(self(), spinLock(SpinLock));
        lowerTo(NewIrql, "KeReleaseSpinLock");
    }

    public void KeAcquireSpinLockAtDpcLevel(KSpinLock SpinLock) {
        acquire(self(), spinLock(SpinLock));
    }

    public void KeReleaseSpinLockFromDpcLevel(KSpinLock SpinLock) {
        release(self(), spinLock(SpinLock));
    }

    // ---------------------------------------------------------------- IRQL

    public int KeGetCurrentIrql() {
        return cpu().irql;
    }

    public void KeRaiseIrql(int NewIrql, Out<Integer> OldIrql) {
        Processor p = cpu();
        if (NewIrql < p.irql) {
            k.monitor(IrqlKeRaiseLower.class).raisesBelow(NewIrql, p.irql);
        }
        OldIrql.value = p.irql;
        p.irql = NewIrql;
    }

    public int KeRaiseIrqlToDpcLevel() {
        Processor p = cpu();
        int old = p.irql;
        p.irql = Wdm.DISPATCH_LEVEL;
        return old;
    }

    public void KeLowerIrql(int NewIrql) {
        lowerTo(NewIrql, "KeLowerIrql");
    }

    public void KeFlushIoBuffers(Mdl Mdl, boolean ReadOperation, boolean DmaOperation) {
        if (!DmaOperation) {
            k.memory.flushIoBuffers(Mdl, ReadOperation);
        }
    }

    // ---------------------------------------------------------------- events, waits, timers

    private EventObject event(KEvent e) {
        return object(events, e, "An event is used before 'KeInitializeEvent'.");
    }

    public void KeInitializeEvent(KEvent Event, int Type, boolean State) {
        events.put(Event, new EventObject(Type == Wdm.SynchronizationEvent, State));
    }

    public int KeSetEvent(KEvent Event, int Increment, boolean Wait) {
        EventObject e = event(Event);
        boolean was = e.signaled;
        k.hb.release(self(), e);
        e.signaled = true;
        return was ? 1 : 0;
    }

    public void KeClearEvent(KEvent Event) {
        event(Event).signaled = false;
    }

    public int KeWaitForSingleObject(Object Object, int WaitReason, int WaitMode, boolean Alertable, Long Timeout) {
        java.util.function.BooleanSupplier signaled;
        Runnable consume;
        if (Object instanceof KEvent ke) {
            EventObject e = event(ke);
            signaled = () -> e.signaled;
            consume = () -> {
                if (e.synchronization) {
                    e.signaled = false;
                }
            };
        } else if (Object instanceof KTimer kt) {
            TimerObject t = timer(kt);
            signaled = () -> t.signaled;
            consume = () -> {
                if (t.synchronization) {
                    t.signaled = false;
                }
            };
        } else {
            throw k.monitor(InvalidObject.class).notAnObject(
                    "'KeWaitForSingleObject' is given an object that is not a dispatcher object.");
        }
        long deadline = Timeout == null ? Long.MAX_VALUE : k.scheduler.now + micros(Timeout);
        if (!signaled.getAsBoolean()) {
            if (Timeout != null && Timeout == 0) {
                return Wdm.STATUS_TIMEOUT;
            }
            k.scheduler.block(self(), () -> signaled.getAsBoolean() || k.scheduler.now >= deadline, false,
                    "a dispatcher object", deadline);
            if (!signaled.getAsBoolean()) {
                return Wdm.STATUS_TIMEOUT;
            }
        }
        k.hb.acquire(self(), Object instanceof KEvent ke ? event(ke) : timer((KTimer) Object));
        consume.run();
        return Wdm.STATUS_SUCCESS;
    }

    /** A relative (negative) or absolute time in 100-ns units, as microseconds from now. */
    private long micros(long time100ns) {
        long us = Math.abs(time100ns) / 10;
        if (time100ns > 0) {
            us = Math.max(0, time100ns / 10 - k.scheduler.now);
        }
        return Math.max(1, us);
    }

    private TimerObject timer(KTimer t) {
        return object(ktimers, t, "A timer is used before 'KeInitializeTimer'.");
    }

    public void KeInitializeTimer(KTimer Timer) {
        ktimers.put(Timer, new TimerObject(false, "KTIMER #" + k.nextObjectNumber()));
    }

    public void KeInitializeTimerEx(KTimer Timer, int Type) {
        ktimers.put(Timer, new TimerObject(Type == Wdm.SynchronizationTimer, "KTIMER #" + k.nextObjectNumber()));
    }

    public boolean KeSetTimer(KTimer Timer, long DueTime, Kdpc Dpc) {
        return KeSetTimerEx(Timer, DueTime, 0, Dpc);
    }

    public boolean KeSetTimerEx(KTimer Timer, long DueTime, int Period, Kdpc Dpc) {
        TimerObject t = timer(Timer);
        boolean was = t.set();
        t.signaled = false;
        t.dueTime = k.scheduler.now + micros(DueTime);
        t.periodMicros = Period * 1000L;
        t.dpc = Dpc == null ? null : dpc(Dpc);
        k.hb.release(self(), t);
        if (!k.timers.contains(t)) {
            k.timers.add(t);
        }
        return was;
    }

    public boolean KeCancelTimer(KTimer Timer) {
        TimerObject t = timer(Timer);
        boolean was = t.set();
        t.dueTime = Long.MAX_VALUE;
        k.timers.remove(t);
        return was;
    }

    public void KeStallExecutionProcessor(int MicroSeconds) {
        long until = k.scheduler.now + Math.max(1, MicroSeconds);
        k.scheduler.block(self(), () -> k.scheduler.now >= until, true, "a stall", until);
    }

    public int KeDelayExecutionThread(int WaitMode, boolean Alertable, long Interval) {
        long until = k.scheduler.now + micros(Interval);
        k.scheduler.block(self(), () -> k.scheduler.now >= until, false, "a delay", until);
        return Wdm.STATUS_SUCCESS;
    }
}
