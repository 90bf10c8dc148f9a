package dev.dpccheck.kernel;

import dev.dpccheck.kernel.verifier.*;
import dev.dpccheck.wdm.*;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The I/O manager's routines (Io): device objects, the connection of interrupts and DPCs to a
 * device, the device queue and StartIo, IRPs and their stack locations, cancellation, remove
 * locks, the IoTimer, the error log, controller objects and the file system services (Zw).
 */
final class IoRoutines extends Routines {
    private final Map<IoRemoveLock, RemoveLockState> removeLocks = new IdentityHashMap<>();
    private final Map<Handle, StringBuilder> files = new IdentityHashMap<>();
    private final SpinLockObject cancelSpinLock = new SpinLockObject("cancel spin lock");

    IoRoutines(Kernel k) {
        super(k);
    }

    // ---------------------------------------------------------------- device objects

    public int IoCreateDevice(DriverObject DriverObject, Class<?> DeviceExtensionSize, UnicodeString DeviceName,
            int DeviceType, int DeviceCharacteristics, boolean Exclusive, Out<DeviceObject> DeviceObject) {
        Object extension = DeviceExtensionSize == null ? null : instantiate(DeviceExtensionSize);
        DeviceObject d = k.io.createDevice(DriverObject, extension, DeviceType);
        d.Characteristics = DeviceCharacteristics;
        DeviceObject.value = d;
        return Wdm.STATUS_SUCCESS;
    }

    public void IoDeleteDevice(DeviceObject DeviceObject) {
        IoManager.DeviceState s = k.io.state(DeviceObject);
        s.deleted = true;
        DriverObject drv = DeviceObject.DriverObject;
        if (drv.DeviceObject == DeviceObject) {
            drv.DeviceObject = DeviceObject.NextDevice;
        } else {
            for (DeviceObject d = drv.DeviceObject; d != null; d = d.NextDevice) {
                if (d.NextDevice == DeviceObject) {
                    d.NextDevice = DeviceObject.NextDevice;
                }
            }
        }
        if (s.ioTimer != null) {
            k.timers.remove(s.ioTimer);
        }
    }

    public DeviceObject IoAttachDeviceToDeviceStack(DeviceObject SourceDevice, DeviceObject TargetDevice) {
        return k.io.attach(SourceDevice, TargetDevice);
    }

    public void IoDetachDevice(DeviceObject TargetDevice) {
        DeviceObject above = TargetDevice.AttachedDevice;
        if (above != null) {
            k.io.state(above).lower = null;
        }
        TargetDevice.AttachedDevice = null;
    }

    // ---------------------------------------------------------------- DPCs

    public void IoInitializeDpcRequest(DeviceObject DeviceObject, IoDpcRoutine DpcRoutine) {
        IoManager.DeviceState s = k.io.state(DeviceObject);
        DpcObject dpc = new DpcObject(DeviceObject.Dpc, (d, a1, a2) -> k.invoke(RoutineFrame.Role.DPC_FOR_ISR, () -> {
            executive().transfersEnded();
            RoutineFrame f = self().frame();
            f.irp = a1;
            f.device = DeviceObject;
            DpcRoutine.DpcForIsr(d.handle, DeviceObject, (Irp) a1, a2);
            return 0;
        }), "DpcForIsr", DeviceObject, "DpcForIsr of " + s.name);
        executive().ke.register(DeviceObject.Dpc, dpc);
        s.dpcForIsr = dpc;
    }

    public void IoRequestDpc(DeviceObject DeviceObject, Irp Irp, Object Context) {
        IoManager.DeviceState s = k.io.state(DeviceObject);
        if (s.dpcForIsr == null) {
            k.monitor(DpcNotRegistered.class).requested(s.name);
            return;
        }
        executive().ke.requestDpc(s.dpcForIsr, Irp, Context);
    }

    // ---------------------------------------------------------------- interrupts

    public int IoConnectInterrupt(Out<KInterrupt> InterruptObject, KServiceRoutine ServiceRoutine, Object ServiceContext,
            KSpinLock SpinLock, int Vector, int Irql, int SynchronizeIrql, int InterruptMode, boolean ShareVector,
            long ProcessorEnableMask, boolean FloatingSave) {
        dev.dpccheck.kernel.hw.SimDevice device = null;
        for (dev.dpccheck.kernel.hw.SimDevice d : k.devices) {
            if (d.resources().vector() == Vector) {
                device = d;
            }
        }
        if (device == null || SynchronizeIrql < Irql) {
            return Wdm.STATUS_INVALID_PARAMETER;
        }
        KInterrupt handle = new KInterrupt();
        SpinLockObject lock = SpinLock != null ? executive().ke.spinLock(SpinLock) : new SpinLockObject("interrupt spin lock");
        InterruptObject io = new InterruptObject(handle, ServiceRoutine, ServiceContext, device, Irql, SynchronizeIrql,
                ProcessorEnableMask == 0 ? -1L : ProcessorEnableMask, lock);
        executive().ke.interruptObjects.put(handle, io);
        // the ISR runs after what its connection followed
        k.hb.release(self(), io.lock);
        k.interrupts.add(io);
        InterruptObject.value = handle;
        return Wdm.STATUS_SUCCESS;
    }

    public int IoConnectInterruptEx(IoConnectInterruptParameters Parameters) {
        if (Parameters.Version != Wdm.CONNECT_FULLY_SPECIFIED) {
            return Wdm.STATUS_NOT_SUPPORTED;
        }
        IoConnectInterruptParameters.FullySpecifiedParameters p = Parameters.FullySpecified;
        return IoConnectInterrupt(p.InterruptObject, p.ServiceRoutine, p.ServiceContext, p.SpinLock, p.Vector, p.Irql,
                p.SynchronizeIrql, p.InterruptMode, p.ShareVector, p.ProcessorEnableMask, p.FloatingSave);
    }

    public void IoDisconnectInterrupt(KInterrupt InterruptObject) {
        InterruptObject io = executive().ke.interrupt(InterruptObject);
        // disconnecting waits for a running ISR: what the ISRs did comes before what follows
        k.hb.passThrough(self(), io.lock);
        io.connected = false;
        k.interrupts.remove(io);
    }

    // ---------------------------------------------------------------- the cancel spin lock

    public void IoAcquireCancelSpinLock(Out<Integer> Irql) {
        Processor p = cpu();
        int old = p.irql;
        p.irql = Math.max(old, Wdm.DISPATCH_LEVEL);
        executive().ke.acquire(self(), cancelSpinLock);
        Irql.value = old;
    }

    public void IoReleaseCancelSpinLock(int Irql) {
        executive().ke.release(self(), cancelSpinLock);
        executive().ke.lowerTo(Irql, "IoReleaseCancelSpinLock");
    }

    // ---------------------------------------------------------------- StartIo

    public void IoStartPacket(DeviceObject DeviceObject, Irp Irp, Out<Integer> Key, DriverCancel CancelFunction) {
        k.io.startPacket(DeviceObject, Irp, Key == null ? null : Key.value, CancelFunction);
    }

    public void IoStartNextPacket(DeviceObject DeviceObject, boolean Cancelable) {
        startNext(DeviceObject, null, "IoStartNextPacket");
    }

    public void IoStartNextPacketByKey(DeviceObject DeviceObject, boolean Cancelable, int Key) {
        startNext(DeviceObject, Key, "IoStartNextPacketByKey");
    }

    private void startNext(DeviceObject d, Integer key, String routine) {
        KContext self = self();
        if (!self.heldLocks.isEmpty()) {
            k.monitor(SpinLockSafe.class).calledHolding(routine,
                    String.valueOf(self.heldLocks.get(self.heldLocks.size() - 1)));
        }
        if (controllerHeldBy(d)) {
            k.monitor(ControllerNotFreed.class).startNextWhileHeld(routine);
        }
        RoutineFrame f = self.frame();
        if (f != null && f.role.isDpc() && !f.startedNext.containsKey(d)) {
            f.startedNext.put(d, new RoutineFrame.StartedNext(k.routineSite(self), routine, k.io.operations, false));
        }
        k.io.startNextPacket(d, key);
    }

    public void IoSetStartIoAttributes(DeviceObject DeviceObject, boolean DeferredStartIo, boolean NonCancelable) {
        IoManager.DeviceState s = k.io.state(DeviceObject);
        s.deferredStartIo = DeferredStartIo;
        s.nonCancelable = NonCancelable;
    }

    // ---------------------------------------------------------------- IRPs

    public void IoMarkIrpPending(Irp Irp) {
        k.io.live(Irp, "IoMarkIrpPending");
        k.io.markPending(Irp);
    }

    public void IoCompleteRequest(Irp Irp, int PriorityBoost) {
        k.io.completeRequest(Irp);
    }

    public IoStackLocation IoGetCurrentIrpStackLocation(Irp Irp) {
        k.io.live(Irp, "IoGetCurrentIrpStackLocation");
        return k.io.current(Irp);
    }

    public IoStackLocation IoGetNextIrpStackLocation(Irp Irp) {
        k.io.live(Irp, "IoGetNextIrpStackLocation");
        return k.io.next(Irp);
    }

    public void IoCopyCurrentIrpStackLocationToNext(Irp Irp) {
        k.io.live(Irp, "IoCopyCurrentIrpStackLocationToNext");
        IoStackLocation from = k.io.current(Irp);
        IoStackLocation to = k.io.next(Irp);
        to.MajorFunction = from.MajorFunction;
        to.MinorFunction = from.MinorFunction;
        to.Flags = from.Flags;
        to.Control = 0;
        to.FileObject = from.FileObject;
        to.CompletionRoutine = null;
        to.Context = null;
        copy(from.Parameters.Read, to.Parameters.Read);
        copy(from.Parameters.Write, to.Parameters.Write);
        to.Parameters.DeviceIoControl.IoControlCode = from.Parameters.DeviceIoControl.IoControlCode;
        to.Parameters.DeviceIoControl.InputBufferLength = from.Parameters.DeviceIoControl.InputBufferLength;
        to.Parameters.DeviceIoControl.OutputBufferLength = from.Parameters.DeviceIoControl.OutputBufferLength;
        to.Parameters.StartDevice.AllocatedResources = from.Parameters.StartDevice.AllocatedResources;
        to.Parameters.StartDevice.AllocatedResourcesTranslated = from.Parameters.StartDevice.AllocatedResourcesTranslated;
    }

    private static void copy(IoStackLocation.ReadWrite from, IoStackLocation.ReadWrite to) {
        to.Length = from.Length;
        to.Key = from.Key;
        to.ByteOffset = from.ByteOffset;
    }

    public void IoSkipCurrentIrpStackLocation(Irp Irp) {
        k.io.live(Irp, "IoSkipCurrentIrpStackLocation");
        Irp.CurrentLocation++;
    }

    public int IoCallDriver(DeviceObject DeviceObject, Irp Irp) {
        k.io.live(Irp, "IoCallDriver");
        return k.io.callDriver(DeviceObject, Irp);
    }

    public void IoSetCompletionRoutine(Irp Irp, IoCompletionRoutine CompletionRoutine, Object Context,
            boolean InvokeOnSuccess, boolean InvokeOnError, boolean InvokeOnCancel) {
        k.io.live(Irp, "IoSetCompletionRoutine");
        IoStackLocation next = k.io.next(Irp);
        next.CompletionRoutine = CompletionRoutine;
        next.Context = Context;
        next.Control = (InvokeOnSuccess ? IoManager.SL_INVOKE_ON_SUCCESS : 0)
                | (InvokeOnError ? IoManager.SL_INVOKE_ON_ERROR : 0) | (InvokeOnCancel ? IoManager.SL_INVOKE_ON_CANCEL : 0);
    }

    private final Map<Irp, DriverCancel> cancelRoutines = new IdentityHashMap<>();

    public DriverCancel IoSetCancelRoutine(Irp Irp, DriverCancel CancelRoutine) {
        k.io.live(Irp, "IoSetCancelRoutine");
        return CancelRoutine == null ? cancelRoutines.remove(Irp) : cancelRoutines.put(Irp, CancelRoutine);
    }

    /** At completion: forgets the IRP's Cancel routine; returns whether it still had one. */
    boolean dropCancelRoutine(Irp irp) {
        return cancelRoutines.remove(irp) != null;
    }

    public boolean IoCancelIrp(Irp Irp) {
        k.io.live(Irp, "IoCancelIrp");
        return cancel(Irp);
    }

    /**
     * Cancels an IRP, from a driver's IoCancelIrp or from the user thread that sent it: sets
     * {@code Cancel}, takes the cancel spin lock and calls the IRP's Cancel routine with it, which
     * must release it; returns whether there was a routine to call.
     */
    boolean cancel(Irp irp) {
        irp.Cancel = true;
        KeRoutines ke = executive().ke;
        Processor p = cpu();
        int old = p.irql;
        p.irql = Math.max(old, Wdm.DISPATCH_LEVEL);
        ke.acquire(self(), cancelSpinLock);
        DriverCancel routine = cancelRoutines.remove(irp);
        if (routine == null) {
            ke.release(self(), cancelSpinLock);
            p.irql = old;
            return false;
        }
        irp.CancelIrql = old;
        IoStackLocation location = k.io.current(irp);
        DeviceObject device = location == null ? null : location.DeviceObject;
        k.invoke(RoutineFrame.Role.CANCEL, () -> {
            RoutineFrame f = self().frame();
            f.irp = irp;
            f.device = device;
            routine.Cancel(device, irp);
            return 0;
        });
        return true;
    }

    // ---------------------------------------------------------------- cancel-safe queues

    /** A cancel-safe queue: the driver's routines, and the IRP each insert context stands for. */
    private record Csq(IoCsq handle, CsqInsertIrp insert, CsqRemoveIrp remove, CsqPeekNextIrp peek, CsqAcquireLock acquire,
            CsqReleaseLock release, CsqCompleteCanceledIrp complete, Map<IoCsqIrpContext, Irp> contexts) {
    }

    private final Map<IoCsq, Csq> queues = new IdentityHashMap<>();

    public int IoCsqInitialize(IoCsq Csq, CsqInsertIrp CsqInsertIrp, CsqRemoveIrp CsqRemoveIrp,
            CsqPeekNextIrp CsqPeekNextIrp, CsqAcquireLock CsqAcquireLock, CsqReleaseLock CsqReleaseLock,
            CsqCompleteCanceledIrp CsqCompleteCanceledIrp) {
        queues.put(Csq, new Csq(Csq, CsqInsertIrp, CsqRemoveIrp, CsqPeekNextIrp, CsqAcquireLock, CsqReleaseLock,
                CsqCompleteCanceledIrp, new IdentityHashMap<>()));
        return Wdm.STATUS_SUCCESS;
    }

    private Csq csq(IoCsq handle) {
        return object(queues, handle, "A cancel-safe queue is used before 'IoCsqInitialize'.");
    }

    private int lock(Csq q) {
        Out<Integer> irql = new Out<>();
        k.invoke(RoutineFrame.Role.CSQ_ACQUIRE_LOCK, () -> {
            q.acquire.CsqAcquireLock(q.handle, irql);
            return 0;
        });
        return irql.value == null ? cpu().irql : irql.value;
    }

    private void unlock(Csq q, int irql) {
        k.invoke(RoutineFrame.Role.CSQ_RELEASE_LOCK, () -> {
            q.release.CsqReleaseLock(q.handle, irql);
            return 0;
        });
    }

    private void call(RoutineFrame.Role role, Irp irp, Runnable routine) {
        k.invoke(role, () -> {
            self().frame().irp = irp;
            routine.run();
            return 0;
        });
    }

    public void IoCsqInsertIrp(IoCsq Csq, Irp Irp, IoCsqIrpContext Context) {
        Csq q = csq(Csq);
        k.io.live(Irp, "IoCsqInsertIrp");
        int irql = lock(q);
        call(RoutineFrame.Role.CSQ_INSERT_IRP, Irp, () -> q.insert.CsqInsertIrp(q.handle, Irp));
        k.io.markPending(Irp);
        k.io.parked(Irp, "IoCsqInsertIrp");
        if (Context != null) {
            q.contexts.put(Context, Irp);
        }
        cancelRoutines.put(Irp, (d, irp) -> canceled(q, irp));
        if (Irp.Cancel && cancelRoutines.remove(Irp) != null) {
            // cancelled before it was queued: the queue gives it back at once
            takeOff(q, Irp);
            unlock(q, irql);
            completeCanceled(q, Irp);
            return;
        }
        unlock(q, irql);
    }

    public Irp IoCsqRemoveNextIrp(IoCsq Csq, Object PeekContext) {
        Csq q = csq(Csq);
        int irql = lock(q);
        Irp found = null;
        Irp at = null;
        for (int i = 0; i < 1_000_000; i++) {
            Irp from = at;
            Irp[] next = new Irp[1];
            call(RoutineFrame.Role.CSQ_PEEK_NEXT_IRP, from,
                    () -> next[0] = q.peek.CsqPeekNextIrp(q.handle, from, PeekContext));
            at = next[0];
            // an IRP whose Cancel routine is already running stays for that routine to take off
            if (at == null || cancelRoutines.remove(at) != null) {
                found = at;
                break;
            }
        }
        if (found != null) {
            takeOff(q, found);
        }
        unlock(q, irql);
        if (found != null) {
            k.io.takenOffQueue(found, "IoCsqRemoveNextIrp");
        }
        return found;
    }

    public Irp IoCsqRemoveIrp(IoCsq Csq, IoCsqIrpContext Context) {
        Csq q = csq(Csq);
        int irql = lock(q);
        Irp queued = Context == null ? null : q.contexts.get(Context);
        Irp removed = null;
        if (queued != null && cancelRoutines.remove(queued) != null) {
            takeOff(q, queued);
            removed = queued;
        }
        unlock(q, irql);
        if (removed != null) {
            k.io.takenOffQueue(removed, "IoCsqRemoveIrp");
        }
        return removed;
    }

    /** The Cancel routine of an IRP on a cancel-safe queue: the system's, which hands the IRP to the driver to complete. */
    private void canceled(Csq q, Irp irp) {
        executive().ke.release(self(), cancelSpinLock);
        cpu().irql = irp.CancelIrql;
        int irql = lock(q);
        takeOff(q, irp);
        unlock(q, irql);
        completeCanceled(q, irp);
    }

    /** Takes an IRP off the driver's queue through its CsqRemoveIrp (the queue's lock held), and forgets its context. */
    private void takeOff(Csq q, Irp irp) {
        call(RoutineFrame.Role.CSQ_REMOVE_IRP, irp, () -> q.remove.CsqRemoveIrp(q.handle, irp));
        q.contexts.values().remove(irp);
    }

    /** Hands a cancelled IRP to the driver's CsqCompleteCanceledIrp (the queue's lock released). */
    private void completeCanceled(Csq q, Irp irp) {
        call(RoutineFrame.Role.CSQ_COMPLETE_CANCELED_IRP, irp, () -> q.complete.CsqCompleteCanceledIrp(q.handle, irp));
    }

    // ---------------------------------------------------------------- remove locks

    /**
     * A remove lock: its count (1 for the lock itself, plus one per acquisition), whether removal
     * began, and each acquisition not yet released, with its tag and the driver line that made it.
     */
    static final class RemoveLockState {
        int count = 1;
        boolean removing;
        final List<Object[]> held = new ArrayList<>();
    }

    public void IoInitializeRemoveLock(IoRemoveLock Lock, int AllocateTag, int MaxLockedMinutes, int HighWatermark) {
        removeLocks.put(Lock, new RemoveLockState());
    }

    private RemoveLockState removeLock(IoRemoveLock l) {
        return object(removeLocks, l, "A remove lock is used before 'IoInitializeRemoveLock'.");
    }

    public int IoAcquireRemoveLock(IoRemoveLock RemoveLock, Object Tag) {
        RemoveLockState l = removeLock(RemoveLock);
        if (l.removing) {
            return Wdm.STATUS_DELETE_PENDING;
        }
        l.count++;
        l.held.add(new Object[] {Tag, k.routineSite(self())});
        return Wdm.STATUS_SUCCESS;
    }

    public void IoReleaseRemoveLock(IoRemoveLock RemoveLock, Object Tag) {
        RemoveLockState l = removeLock(RemoveLock);
        if (l.count <= 1 && !l.removing || l.count <= 0) {
            k.monitor(RemoveLock.class).releasedNotHeld();
            return;
        }
        k.hb.release(self(), l);
        l.count--;
        released(l, Tag);
    }

    public void IoReleaseRemoveLockAndWait(IoRemoveLock RemoveLock, Object Tag) {
        RemoveLockState l = removeLock(RemoveLock);
        l.removing = true;
        // the caller's own acquisition and the lock's bias of one
        l.count -= 2;
        released(l, Tag);
        k.scheduler.block(self(), () -> l.count <= 0, false, "the remove lock", Long.MAX_VALUE);
        k.hb.acquire(self(), l);
    }

    /** Forgets the acquisition a release matches: the first with the same tag, else the first. */
    private static void released(RemoveLockState l, Object tag) {
        for (int i = 0; i < l.held.size(); i++) {
            if (l.held.get(i)[0] == tag) {
                l.held.remove(i);
                return;
            }
        }
        if (!l.held.isEmpty()) {
            l.held.remove(0);
        }
    }

    /**
     * RemoveLock, when a run stalls with IoReleaseRemoveLockAndWait waiting (or ends with the lock
     * still held): each acquisition no path released, at the line that made it.
     */
    void reportHeldRemoveLocks(boolean endOfRun) {
        for (RemoveLockState l : removeLocks.values()) {
            if (l.removing || endOfRun) {
                for (Object[] h : l.held) {
                    k.monitor(RemoveLock.class).neverReleased(k.fields.value(h[0]), l.removing, (StackTraceElement) h[1]);
                }
            }
        }
    }

    // ---------------------------------------------------------------- IoTimer

    public int IoInitializeTimer(DeviceObject DeviceObject, IoTimerRoutine TimerRoutine, Object Context) {
        IoManager.DeviceState s = k.io.state(DeviceObject);
        TimerObject t = new TimerObject(false, "IoTimer of " + s.name);
        t.dpc = new DpcObject(new Kdpc(), (d, a1, a2) -> k.invoke(RoutineFrame.Role.IO_TIMER, () -> {
            TimerRoutine.IoTimer(DeviceObject, Context);
            return 0;
        }), "IoTimer", Context, "IoTimer of " + s.name);
        s.ioTimer = t;
        return Wdm.STATUS_SUCCESS;
    }

    public void IoStartTimer(DeviceObject DeviceObject) {
        TimerObject t = k.io.state(DeviceObject).ioTimer;
        if (t == null) {
            throw k.monitor(InvalidObject.class).notAnObject("'IoStartTimer' is called before 'IoInitializeTimer'.");
        }
        t.periodMicros = 1_000_000;
        t.dueTime = k.scheduler.now + t.periodMicros;
        k.hb.release(self(), t);
        if (!k.timers.contains(t)) {
            k.timers.add(t);
        }
    }

    public void IoStopTimer(DeviceObject DeviceObject) {
        TimerObject t = k.io.state(DeviceObject).ioTimer;
        if (t != null) {
            t.dueTime = Long.MAX_VALUE;
            k.timers.remove(t);
        }
    }

    // ---------------------------------------------------------------- error log

    public IoErrorLogPacket IoAllocateErrorLogEntry(Object IoObject, int EntrySize) {
        if (k.refuses()) {
            k.monitor(ErrorLogEntryUnchecked.class).refused(self());
            return null;
        }
        IoErrorLogPacket p = new IoErrorLogPacket();
        k.monitor(ErrorLogEntryUnchecked.class).allocated(p, self());
        return p;
    }

    public void IoWriteErrorLogEntry(IoErrorLogPacket ElEntry) {
        k.monitor(ErrorLogEntryUnchecked.class).written(ElEntry);
    }

    // ---------------------------------------------------------------- controller objects

    /** A controller object: the device it is allocated to, where that was asked for, and who waits for it. */
    private static final class Controller {
        DeviceObject holder;
        StackTraceElement allocatedAt;
        final java.util.ArrayDeque<Waiter> waiting = new java.util.ArrayDeque<>();
    }

    private record Waiter(DeviceObject device, DriverControl routine, Object context, StackTraceElement site) {
    }

    private final Map<ControllerObject, Controller> controllers = new IdentityHashMap<>();

    public ControllerObject IoCreateController(Class<?> Size) {
        ControllerObject c = new ControllerObject();
        c.ControllerExtension = Size == null ? null : instantiate(Size);
        controllers.put(c, new Controller());
        return c;
    }

    public void IoDeleteController(ControllerObject ControllerObject) {
        controllers.remove(ControllerObject);
    }

    public void IoAllocateController(ControllerObject ControllerObject, DeviceObject DeviceObject,
            DriverControl ExecutionRoutine, Object Context) {
        Controller c = controllers.get(ControllerObject);
        if (c == null) {
            throw k.monitor(InvalidObject.class).notAnObject(
                    "'IoAllocateController' is given a controller 'IoCreateController' did not create.");
        }
        Waiter w = new Waiter(DeviceObject, ExecutionRoutine, Context, k.routineSite(self()));
        if (c.holder != null) {
            c.waiting.add(w);
            return;
        }
        grantController(c, w);
    }

    private void grantController(Controller c, Waiter w) {
        c.holder = w.device();
        c.allocatedAt = w.site();
        int action = k.invoke(RoutineFrame.Role.CONTROL, () -> {
            self().frame().device = w.device();
            return w.routine().Control(w.device(), w.device().CurrentIrp, null, w.context());
        });
        if (action == Wdm.DeallocateObject) {
            freeController(c);
        }
    }

    private void freeController(Controller c) {
        c.holder = null;
        Waiter next = c.waiting.poll();
        if (next != null) {
            grantController(c, next);
        }
    }

    /** Whether a controller object is allocated to this device. */
    boolean controllerHeldBy(DeviceObject d) {
        for (Controller c : controllers.values()) {
            if (c.holder == d) {
                return true;
            }
        }
        return false;
    }

    public void IoFreeController(ControllerObject ControllerObject) {
        Controller c = controllers.get(ControllerObject);
        if (c == null || c.holder == null) {
            k.monitor(ControllerNotFreed.class).freedNotAllocated();
            return;
        }
        freeController(c);
    }

    /**
     * ControllerNotFreed, when a run stalls: a controller still allocated while requests wait for
     * it, reported where it was asked for.
     */
    void reportHeldControllers() {
        for (Controller c : controllers.values()) {
            if (c.holder != null && !c.waiting.isEmpty()) {
                k.monitor(ControllerNotFreed.class).neverFreed(k.io.nameOf(c.holder), c.waiting.size(), c.allocatedAt);
            }
        }
    }

    // ---------------------------------------------------------------- files

    public void InitializeObjectAttributes(ObjectAttributes InitializedAttributes, UnicodeString ObjectName,
            int Attributes, Handle RootDirectory, Object SecurityDescriptor) {
        InitializedAttributes.ObjectName = ObjectName;
        InitializedAttributes.Attributes = Attributes;
    }

    public int ZwCreateFile(Out<Handle> FileHandle, int DesiredAccess, ObjectAttributes ObjectAttributes,
            IoStatusBlock IoStatusBlock, Long AllocationSize, int FileAttributes, int ShareAccess, int CreateDisposition,
            int CreateOptions, byte[] EaBuffer, int EaLength) {
        Handle h = new Handle();
        files.put(h, new StringBuilder());
        FileHandle.value = h;
        IoStatusBlock.Status = Wdm.STATUS_SUCCESS;
        return Wdm.STATUS_SUCCESS;
    }

    public int ZwWriteFile(Handle FileHandle, KEvent Event, Object ApcRoutine, Object ApcContext,
            IoStatusBlock IoStatusBlock, byte[] Buffer, int Length, Long ByteOffset, Integer Key) {
        StringBuilder f = files.get(FileHandle);
        if (f == null) {
            return Wdm.STATUS_INVALID_PARAMETER;
        }
        f.append(new String(Buffer, 0, Length, java.nio.charset.StandardCharsets.ISO_8859_1));
        IoStatusBlock.Status = Wdm.STATUS_SUCCESS;
        IoStatusBlock.Information = Length;
        return Wdm.STATUS_SUCCESS;
    }

    public int ZwClose(Handle Handle) {
        return files.remove(Handle) == null ? Wdm.STATUS_INVALID_PARAMETER : Wdm.STATUS_SUCCESS;
    }
}
