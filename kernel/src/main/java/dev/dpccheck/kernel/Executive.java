package dev.dpccheck.kernel;

import dev.dpccheck.kernel.verifier.*;
import dev.dpccheck.wdm.*;
import java.util.List;

/**
 * The kernel's side of every WDM routine, split along the WDK's components ({@link KeRoutines},
 * {@link IoRoutines}, {@link HalRoutines}, {@link MmRoutines}, {@link ExRoutines},
 * {@link RtlRoutines}; the adapter's DMA operations are {@link DmaAdapterObject}'s), which
 * {@link CallGate} calls once the scheduling point and the IRQL check are done; and the hooks the
 * instrumented driver code calls (routine entry and exit, loop back edges), with the checks made
 * there.
 */
final class Executive {
    private final Kernel k;
    /** Backward branches since the last kernel call or routine start. */
    private long loopSteps;

    final KeRoutines ke;
    final IoRoutines io;
    final HalRoutines hal;
    final MmRoutines mm;
    final ExRoutines ex;
    final RtlRoutines rtl;

    Executive(Kernel k) {
        this.k = k;
        this.ke = new KeRoutines(k);
        this.io = new IoRoutines(k);
        this.hal = new HalRoutines(k);
        this.mm = new MmRoutines(k);
        this.ex = new ExRoutines(k);
        this.rtl = new RtlRoutines(k);
    }

    /** The components that carry the routines out, each routine implemented by exactly one. */
    List<Routines> components() {
        return List.of(ke, io, hal, mm, ex, rtl);
    }

    private KContext self() {
        return k.scheduler.current();
    }

    private Processor cpu() {
        return self().cpu;
    }

    // ---------------------------------------------------------------- hooks

    /** A DPC runs because the device finished: what was mapped before it must be flushed before more is mapped. */
    void transfersEnded() {
        for (DmaAdapterObject a : k.adapters) {
            a.transfersEnded();
        }
    }

    /** A driver that calls the kernel is not spinning: the loop bound counts from here. */
    void resetLoopBound() {
        loopSteps = 0;
    }

    void beforeCall(KContext self, String routine, Object[] args) {
        loopSteps = 0;
    }

    void irqlViolationIsFatal(String routine, Object[] args) {
        if (routine.equals("KeWaitForSingleObject") || routine.equals("KeDelayExecutionThread")) {
            throw k.monitor(IrqlTooHigh.class).waits(routine, cpu().irql);
        }
    }

    void methodEntered(int methodId) {
        KContext self = self();
        if (self == null || self.worker == null || self.worker.thread != Thread.currentThread()) {
            return;
        }
        self.enterMethod(methodId);
        k.entered.set(methodId);
        RoutineFrame routine = self.frame();
        if (routine != null && self.driverDepth == routine.driverDepth + 1) {
            k.routineEntered(self, routine, methodId);
        }
        IrqlContract c = k.image.contract(methodId);
        if (c.declared()) {
            int irql = self.cpu.irql;
            String name = k.image.methodName(methodId);
            if (c.pageable && irql > Wdm.APC_LEVEL) {
                k.monitor(IrqlTooHigh.class).pageableRuns(name, irql);
            } else if (irql > c.max) {
                k.monitor(IrqlTooHigh.class).called(name, irql, "at or below " + IrqlContract.irqlName(c.max), "");
            } else if (irql < c.min) {
                k.monitor(IrqlTooLow.class).called(name, irql, "at or above " + IrqlContract.irqlName(c.min));
            }
        }
    }

    void methodExiting(int methodId, Integer returned) {
        KContext self = self();
        if (self == null || self.worker == null || self.worker.thread != Thread.currentThread()) {
            return;
        }
        // frames that an exception unwound (a helper threw, the routine caught it) have no exit: drop them
        self.unwindTo(methodId);
        RoutineFrame f = self.frame();
        if (f != null && self.driverDepth == f.driverDepth + 1) {
            k.routineReturning(self, f);
            if (f.role == RoutineFrame.Role.DISPATCH && returned != null) {
                k.io.dispatchReturning(f, returned);
            }
        }
        self.exitMethod();
    }

    void loopIteration() {
        if (++loopSteps > k.config.maxSteps() * 4) {
            loopSteps = 0;
            KContext self = self();
            k.monitor(DriverHang.class).loops(self == null ? "?" : self.currentRoutine());
            k.scheduler.abort();
            throw new ScheduleAbort();
        }
    }

    void beforeCompletion(Irp irp, IoManager.IrpState s) {
        KContext self = self();
        if (!self.heldLocks.isEmpty()) {
            k.monitor(SpinLockSafe.class).calledHolding("IoCompleteRequest",
                    String.valueOf(self.heldLocks.get(self.heldLocks.size() - 1)));
        }
        RoutineFrame f = self.frame();
        if (f != null && s.startedOn != null && s.startedOn.CurrentIrp == irp) {
            f.completedCurrentIrpOf.add(s.startedOn);
        }
        if (irp.MdlAddress != null && k.memory.unflushed(irp.MdlAddress)) {
            k.monitor(PioFlushMissing.class).completed();
        }
        RoutineFrame bottom = self.frames.isEmpty() ? null : self.frames.get(0);
        IoStackLocation location = k.io.current(irp);
        for (DmaAdapterObject a : k.adapters) {
            a.beforeCompletion(irp, location == null ? null : location.DeviceObject, bottom);
        }
    }
}
