package dev.dpccheck.kernel;

import dev.dpccheck.wdm.*;
import dev.dpccheck.wdm.spi.KernelServices;
import java.lang.reflect.Constructor;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The kernel's side of every WDM routine: what {@link CallGate} calls once the scheduling point and
 * the IRQL check are done. Kernel objects the driver allocates (KDPC, KSPIN_LOCK, KEVENT, KTIMER,
 * remove locks) are opaque to it; their state lives here, keyed by identity.
 */
final class Executive implements KernelServices {
    private final Kernel k;
    private final Map<Kdpc, DpcObject> dpcs = new IdentityHashMap<>();
    private final Map<KSpinLock, SpinLockObject> spinLocks = new IdentityHashMap<>();
    private final Map<KEvent, EventObject> events = new IdentityHashMap<>();
    private final Map<KTimer, TimerObject> ktimers = new IdentityHashMap<>();
    private final Map<KInterrupt, InterruptObject> interruptObjects = new IdentityHashMap<>();
    private final Map<IoRemoveLock, int[]> removeLocks = new IdentityHashMap<>();
    private final Map<IoErrorLogPacket, Boolean> errorLog = new IdentityHashMap<>();
    private final Map<Handle, StringBuilder> files = new IdentityHashMap<>();
    private final SpinLockObject cancelSpinLock = new SpinLockObject("cancel spin lock");
    /** Backward branches since the last kernel call or routine start. */
    private long loopSteps;

    Executive(Kernel k) {
        this.k = k;
    }

    private KContext self() {
        return k.scheduler.current();
    }

    private Processor cpu() {
        return self().cpu;
    }

    // ---------------------------------------------------------------- hooks

    /** A DPC runs because the device finished: what was mapped before it must be flushed before more is mapped. */
    private void transfersEnded() {
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
        RoutineFrame f = self.frame();
        // queuing further DPCs belongs to the ISR's last step; anything else after the first does not
        if (f != null && f.requestedDpc && f.role == RoutineFrame.Role.ISR && !routine.equals("IoRequestDpc")
                && !routine.equals("KeInsertQueueDpc")) {
            k.report("IsrRequestDpcNotLast", "The ISR calls '" + routine + "' after 'IoRequestDpc'.", null);
        }
    }

    void irqlViolationIsFatal(String routine, Object[] args) {
        if (routine.equals("KeWaitForSingleObject") || routine.equals("KeDelayExecutionThread")) {
            k.bugCheck("IrqlTooHigh", "'" + routine + "' would wait at " + IrqlContract.irqlName(cpu().irql) + ".");
        }
    }

    void methodEntered(int methodId) {
        KContext self = self();
        if (self == null || self.worker == null || self.worker.thread != Thread.currentThread()) {
            return;
        }
        self.enterMethod(methodId);
        IrqlContract c = k.image.contract(methodId);
        if (c.declared()) {
            int irql = self.cpu.irql;
            String name = k.image.methodName(methodId);
            if (c.pageable && irql > Wdm.APC_LEVEL) {
                k.report("IrqlTooHigh", "Pageable code '" + name + "' runs at " + IrqlContract.irqlName(irql) + ".", null);
            } else if (irql > c.max) {
                k.report("IrqlTooHigh", "'" + name + "' is called at " + IrqlContract.irqlName(irql)
                        + "; it must be called at or below " + IrqlContract.irqlName(c.max) + ".", null);
            } else if (irql < c.min) {
                k.report("IrqlTooLow", "'" + name + "' is called at " + IrqlContract.irqlName(irql)
                        + "; it must be called at or above " + IrqlContract.irqlName(c.min) + ".", null);
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
            k.report("DriverHang", "'" + (self == null ? "?" : self.currentRoutine())
                    + "' loops without returning or calling the kernel.", null);
            k.scheduler.abort();
            throw new ScheduleAbort();
        }
    }

    void beforeCompletion(Irp irp, IoManager.IrpState s) {
        KContext self = self();
        if (!self.heldLocks.isEmpty()) {
            k.report("SpinLockSafe", "'IoCompleteRequest' is called while holding spin lock '"
                    + self.heldLocks.get(self.heldLocks.size() - 1) + "'.", null);
        }
        RoutineFrame f = self.frame();
        if (f != null && s.startedOn != null && s.startedOn.CurrentIrp == irp) {
            f.completedCurrentIrpOf.add(s.startedOn);
        }
        if (irp.MdlAddress != null && k.memory.unflushed(irp.MdlAddress)) {
            k.report("PioFlushMissing", "A read is completed with data written through the system address and not"
                    + " flushed with 'KeFlushIoBuffers'.", null);
        }
        RoutineFrame bottom = self.frames.isEmpty() ? null : self.frames.get(0);
        IoStackLocation location = k.io.current(irp);
        for (DmaAdapterObject a : k.adapters) {
            a.beforeCompletion(irp, location == null ? null : location.DeviceObject, bottom);
        }
    }

    // ---------------------------------------------------------------- device objects

    @Override
    public int IoCreateDevice(DriverObject DriverObject, Class<?> DeviceExtensionSize, UnicodeString DeviceName,
            int DeviceType, int DeviceCharacteristics, boolean Exclusive, Out<DeviceObject> DeviceObject) {
        Object extension = DeviceExtensionSize == null ? null : instantiate(DeviceExtensionSize);
        DeviceObject d = k.io.createDevice(DriverObject, extension, DeviceType);
        d.Characteristics = DeviceCharacteristics;
        DeviceObject.value = d;
        return Wdm.STATUS_SUCCESS;
    }

    private Object instantiate(Class<?> type) {
        try {
            Constructor<?> c = type.getDeclaredConstructor();
            c.setAccessible(true);
            return c.newInstance();
        } catch (ReflectiveOperationException e) {
            k.bugCheck("InvalidObject", "'" + type.getSimpleName() + "' has no constructor without parameters.");
            return null;
        }
    }

    @Override
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

    @Override
    public DeviceObject IoAttachDeviceToDeviceStack(DeviceObject SourceDevice, DeviceObject TargetDevice) {
        return k.io.attach(SourceDevice, TargetDevice);
    }

    @Override
    public void IoDetachDevice(DeviceObject TargetDevice) {
        DeviceObject above = TargetDevice.AttachedDevice;
        if (above != null) {
            k.io.state(above).lower = null;
        }
        TargetDevice.AttachedDevice = null;
    }

    // ---------------------------------------------------------------- DPCs

    @Override
    public void IoInitializeDpcRequest(DeviceObject DeviceObject, IoDpcRoutine DpcRoutine) {
        IoManager.DeviceState s = k.io.state(DeviceObject);
        DpcObject dpc = new DpcObject(DeviceObject.Dpc, (d, a1, a2) -> k.invoke(RoutineFrame.Role.DPC_FOR_ISR, () -> {
            transfersEnded();
            RoutineFrame f = self().frame();
            f.irp = a1;
            f.device = DeviceObject;
            DpcRoutine.DpcForIsr(d.handle, DeviceObject, (Irp) a1, a2);
            return 0;
        }), "DpcForIsr", DeviceObject, "DpcForIsr of " + s.name);
        dpcs.put(DeviceObject.Dpc, dpc);
        s.dpcForIsr = dpc;
    }

    @Override
    public void IoRequestDpc(DeviceObject DeviceObject, Irp Irp, Object Context) {
        IoManager.DeviceState s = k.io.state(DeviceObject);
        if (s.dpcForIsr == null) {
            k.report("DpcNotRegistered", "'IoRequestDpc' is called for '" + s.name
                    + "', whose DpcForIsr was not registered with 'IoInitializeDpcRequest'.", null);
            return;
        }
        requestDpc(s.dpcForIsr, Irp, Context);
    }

    private boolean requestDpc(DpcObject dpc, Object a1, Object a2) {
        if (k.memory.isPaged(a2) || k.memory.isPaged(a1)) {
            k.report("DpcContextNotResident", "The context passed to the DPC is in paged pool.", null);
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

    @Override
    public void KeInitializeDpc(Kdpc Dpc, KDeferredRoutine DeferredRoutine, Object DeferredContext) {
        dpcs.put(Dpc, new DpcObject(Dpc, (d, a1, a2) -> k.invoke(RoutineFrame.Role.CUSTOM_DPC, () -> {
            transfersEnded();
            DeferredRoutine.CustomDpc(d.handle, DeferredContext, a1, a2);
            return 0;
        }), "CustomDpc", DeferredContext, "CustomDpc #" + k.nextObjectNumber()));
    }

    private DpcObject dpc(Kdpc d) {
        DpcObject o = d == null ? null : dpcs.get(d);
        if (o == null) {
            k.bugCheck("InvalidObject", "A DPC object is used before 'KeInitializeDpc'.");
        }
        return o;
    }

    @Override
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
                k.report("DpcCoalescingLoss", "'" + d.routine + "' was already queued with '" + k.fields.value(l[3])
                        + "', so this request for '" + k.fields.value(l[0]) + "' returned FALSE and the DPC never ran"
                        + " for it.", (StackTraceElement) l[2]);
            }
        }
    }

    @Override
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

    @Override
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
        SpinLockObject lock = SpinLock != null ? spinLock(SpinLock) : new SpinLockObject("interrupt spin lock");
        InterruptObject io = new InterruptObject(handle, ServiceRoutine, ServiceContext, device, Irql, SynchronizeIrql,
                ProcessorEnableMask == 0 ? -1L : ProcessorEnableMask, lock);
        interruptObjects.put(handle, io);
        // the ISR runs after what its connection followed
        k.hb.release(self(), io.lock);
        k.interrupts.add(io);
        InterruptObject.value = handle;
        return Wdm.STATUS_SUCCESS;
    }

    @Override
    public int IoConnectInterruptEx(IoConnectInterruptParameters Parameters) {
        if (Parameters.Version != Wdm.CONNECT_FULLY_SPECIFIED) {
            return Wdm.STATUS_NOT_SUPPORTED;
        }
        IoConnectInterruptParameters.FullySpecifiedParameters p = Parameters.FullySpecified;
        return IoConnectInterrupt(p.InterruptObject, p.ServiceRoutine, p.ServiceContext, p.SpinLock, p.Vector, p.Irql,
                p.SynchronizeIrql, p.InterruptMode, p.ShareVector, p.ProcessorEnableMask, p.FloatingSave);
    }

    private InterruptObject interrupt(KInterrupt i) {
        InterruptObject o = i == null ? null : interruptObjects.get(i);
        if (o == null) {
            k.bugCheck("InvalidObject", "An interrupt object is used that 'IoConnectInterrupt' did not create.");
        }
        return o;
    }

    @Override
    public void IoDisconnectInterrupt(KInterrupt InterruptObject) {
        InterruptObject io = interrupt(InterruptObject);
        // disconnecting waits for a running ISR: what the ISRs did comes before what follows
        k.hb.passThrough(self(), io.lock);
        io.connected = false;
        k.interrupts.remove(io);
    }

    @Override
    public boolean KeSynchronizeExecution(KInterrupt Interrupt, KSynchronizeRoutine SynchronizeRoutine,
            Object SynchronizeContext) {
        InterruptObject io = interrupt(Interrupt);
        KContext self = self();
        Processor p = self.cpu;
        int old = p.irql;
        if (old > io.synchronizeIrql) {
            k.report("IrqlTooHigh", "'KeSynchronizeExecution' is called at " + IrqlContract.irqlName(old)
                    + ", above the interrupt's SynchronizeIrql " + io.synchronizeIrql + ".", null);
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

    @Override
    public int KeAcquireInterruptSpinLock(KInterrupt Interrupt) {
        InterruptObject io = interrupt(Interrupt);
        KContext self = self();
        int old = self.cpu.irql;
        self.cpu.irql = Math.max(old, io.synchronizeIrql);
        acquire(self, io.lock);
        return old;
    }

    @Override
    public void KeReleaseInterruptSpinLock(KInterrupt Interrupt, int OldIrql) {
        InterruptObject io = interrupt(Interrupt);
        release(self(), io.lock);
        lowerTo(OldIrql, "KeReleaseInterruptSpinLock");
    }

    // ---------------------------------------------------------------- spin locks

    private SpinLockObject spinLock(KSpinLock l) {
        SpinLockObject o = l == null ? null : spinLocks.get(l);
        if (o == null) {
            k.bugCheck("InvalidObject", "A spin lock is used before 'KeInitializeSpinLock'.");
        }
        return o;
    }

    private void acquire(KContext self, SpinLockObject lock) {
        if (lock.owner == self) {
            k.bugCheck("SpinLock", "Spin lock '" + lock.name + "' is acquired again by the context that holds it.");
        }
        k.scheduler.block(self, () -> lock.owner == null, true, lock.name, Long.MAX_VALUE);
        lock.owner = self;
        self.heldLocks.add(lock);
        k.hb.acquire(self, lock);
    }

    private void release(KContext self, SpinLockObject lock) {
        if (lock.owner != self) {
            k.report("SpinLock", "Spin lock '" + lock.name + "' is released but not held.", null);
            return;
        }
        k.hb.release(self, lock);
        lock.owner = null;
        self.heldLocks.remove(lock);
    }

    private void lowerTo(int newIrql, String routine) {
        Processor p = cpu();
        if (newIrql > p.irql) {
            k.report("IrqlKeRaiseLower", "'" + routine + "' lowers to " + IrqlContract.irqlName(newIrql)
                    + ", above the current " + IrqlContract.irqlName(p.irql) + ".", null);
        }
        RoutineFrame f = self().frame();
        if (f != null && f.role.isDpc() && newIrql < Wdm.DISPATCH_LEVEL) {
            k.report("IrqlKeRaiseLower", "The DPC lowers the IRQL below DISPATCH_LEVEL.", null);
        }
        p.irql = newIrql;
    }

    @Override
    public void KeInitializeSpinLock(KSpinLock SpinLock) {
        spinLocks.put(SpinLock, new SpinLockObject("KSPIN_LOCK#" + (spinLocks.size() + 1)));
    }

    @Override
    public void KeAcquireSpinLock(KSpinLock SpinLock, Out<Integer> OldIrql) {
        SpinLockObject l = spinLock(SpinLock);
        Processor p = cpu();
        int old = p.irql;
        p.irql = Math.max(old, Wdm.DISPATCH_LEVEL);
        acquire(self(), l);
        OldIrql.value = old;
    }

    @Override
    public void KeReleaseSpinLock(KSpinLock SpinLock, int NewIrql) {
        release(self(), spinLock(SpinLock));
        lowerTo(NewIrql, "KeReleaseSpinLock");
    }

    @Override
    public void KeAcquireSpinLockAtDpcLevel(KSpinLock SpinLock) {
        acquire(self(), spinLock(SpinLock));
    }

    @Override
    public void KeReleaseSpinLockFromDpcLevel(KSpinLock SpinLock) {
        release(self(), spinLock(SpinLock));
    }

    @Override
    public void IoAcquireCancelSpinLock(Out<Integer> Irql) {
        Processor p = cpu();
        int old = p.irql;
        p.irql = Math.max(old, Wdm.DISPATCH_LEVEL);
        acquire(self(), cancelSpinLock);
        Irql.value = old;
    }

    @Override
    public void IoReleaseCancelSpinLock(int Irql) {
        release(self(), cancelSpinLock);
        lowerTo(Irql, "IoReleaseCancelSpinLock");
    }

    // ---------------------------------------------------------------- IRQL

    @Override
    public int KeGetCurrentIrql() {
        return cpu().irql;
    }

    @Override
    public void KeRaiseIrql(int NewIrql, Out<Integer> OldIrql) {
        Processor p = cpu();
        if (NewIrql < p.irql) {
            k.report("IrqlKeRaiseLower", "'KeRaiseIrql' raises to " + IrqlContract.irqlName(NewIrql) + ", below the current "
                    + IrqlContract.irqlName(p.irql) + ".", null);
        }
        OldIrql.value = p.irql;
        p.irql = NewIrql;
    }

    @Override
    public int KeRaiseIrqlToDpcLevel() {
        Processor p = cpu();
        int old = p.irql;
        p.irql = Wdm.DISPATCH_LEVEL;
        return old;
    }

    @Override
    public void KeLowerIrql(int NewIrql) {
        lowerTo(NewIrql, "KeLowerIrql");
    }

    // ---------------------------------------------------------------- StartIo

    @Override
    public void IoStartPacket(DeviceObject DeviceObject, Irp Irp, Out<Integer> Key, DriverCancel CancelFunction) {
        k.io.startPacket(DeviceObject, Irp, Key == null ? null : Key.value, CancelFunction);
    }

    @Override
    public void IoStartNextPacket(DeviceObject DeviceObject, boolean Cancelable) {
        startNext(DeviceObject, null, "IoStartNextPacket");
    }

    @Override
    public void IoStartNextPacketByKey(DeviceObject DeviceObject, boolean Cancelable, int Key) {
        startNext(DeviceObject, Key, "IoStartNextPacketByKey");
    }

    private void startNext(DeviceObject d, Integer key, String routine) {
        KContext self = self();
        if (!self.heldLocks.isEmpty()) {
            k.report("SpinLockSafe", "'" + routine + "' is called while holding spin lock '"
                    + self.heldLocks.get(self.heldLocks.size() - 1) + "'.", null);
        }
        if (controllerHeldBy(d)) {
            k.report("ControllerNotFreed", "'" + routine + "' is called while the controller is still allocated.", null);
        }
        RoutineFrame f = self.frame();
        if (f != null && f.role.isDpc() && !f.startedNext.containsKey(d)) {
            f.startedNext.put(d, new RoutineFrame.StartedNext(k.routineSite(self), routine, k.io.operations));
        }
        k.io.startNextPacket(d, key);
    }

    @Override
    public void IoSetStartIoAttributes(DeviceObject DeviceObject, boolean DeferredStartIo, boolean NonCancelable) {
        IoManager.DeviceState s = k.io.state(DeviceObject);
        s.deferredStartIo = DeferredStartIo;
        s.nonCancelable = NonCancelable;
    }

    // ---------------------------------------------------------------- IRPs

    @Override
    public void IoMarkIrpPending(Irp Irp) {
        k.io.live(Irp, "IoMarkIrpPending");
        k.io.markPending(Irp);
    }

    @Override
    public void IoCompleteRequest(Irp Irp, int PriorityBoost) {
        k.io.completeRequest(Irp);
    }

    @Override
    public IoStackLocation IoGetCurrentIrpStackLocation(Irp Irp) {
        k.io.live(Irp, "IoGetCurrentIrpStackLocation");
        return k.io.current(Irp);
    }

    @Override
    public IoStackLocation IoGetNextIrpStackLocation(Irp Irp) {
        k.io.live(Irp, "IoGetNextIrpStackLocation");
        return k.io.next(Irp);
    }

    @Override
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

    @Override
    public void IoSkipCurrentIrpStackLocation(Irp Irp) {
        k.io.live(Irp, "IoSkipCurrentIrpStackLocation");
        Irp.CurrentLocation++;
    }

    @Override
    public int IoCallDriver(DeviceObject DeviceObject, Irp Irp) {
        k.io.live(Irp, "IoCallDriver");
        return k.io.callDriver(DeviceObject, Irp);
    }

    @Override
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

    @Override
    public DriverCancel IoSetCancelRoutine(Irp Irp, DriverCancel CancelRoutine) {
        k.io.live(Irp, "IoSetCancelRoutine");
        return CancelRoutine == null ? cancelRoutines.remove(Irp) : cancelRoutines.put(Irp, CancelRoutine);
    }

    // ---------------------------------------------------------------- remove locks

    @Override
    public void IoInitializeRemoveLock(IoRemoveLock Lock, int AllocateTag, int MaxLockedMinutes, int HighWatermark) {
        removeLocks.put(Lock, new int[] {1, 0});
    }

    private int[] removeLock(IoRemoveLock l) {
        int[] o = l == null ? null : removeLocks.get(l);
        if (o == null) {
            k.bugCheck("InvalidObject", "A remove lock is used before 'IoInitializeRemoveLock'.");
        }
        return o;
    }

    @Override
    public int IoAcquireRemoveLock(IoRemoveLock RemoveLock, Object Tag) {
        int[] l = removeLock(RemoveLock);
        if (l[1] != 0) {
            return Wdm.STATUS_DELETE_PENDING;
        }
        l[0]++;
        return Wdm.STATUS_SUCCESS;
    }

    @Override
    public void IoReleaseRemoveLock(IoRemoveLock RemoveLock, Object Tag) {
        int[] l = removeLock(RemoveLock);
        if (l[0] <= 0) {
            k.report("RemoveLock", "'IoReleaseRemoveLock' releases a remove lock that is not held.", null);
            return;
        }
        k.hb.release(self(), l);
        l[0]--;
    }

    @Override
    public void IoReleaseRemoveLockAndWait(IoRemoveLock RemoveLock, Object Tag) {
        int[] l = removeLock(RemoveLock);
        l[1] = 1;
        l[0] -= 2;
        k.scheduler.block(self(), () -> l[0] <= 0, false, "the remove lock", Long.MAX_VALUE);
        k.hb.acquire(self(), l);
    }

    // ---------------------------------------------------------------- IoTimer

    @Override
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

    @Override
    public void IoStartTimer(DeviceObject DeviceObject) {
        TimerObject t = k.io.state(DeviceObject).ioTimer;
        if (t == null) {
            k.bugCheck("InvalidObject", "'IoStartTimer' is called before 'IoInitializeTimer'.");
        }
        t.periodMicros = 1_000_000;
        t.dueTime = k.scheduler.now + t.periodMicros;
        k.hb.release(self(), t);
        if (!k.timers.contains(t)) {
            k.timers.add(t);
        }
    }

    @Override
    public void IoStopTimer(DeviceObject DeviceObject) {
        TimerObject t = k.io.state(DeviceObject).ioTimer;
        if (t != null) {
            t.dueTime = Long.MAX_VALUE;
            k.timers.remove(t);
        }
    }

    // ---------------------------------------------------------------- error log

    @Override
    public IoErrorLogPacket IoAllocateErrorLogEntry(Object IoObject, int EntrySize) {
        if (k.config.faultRate() > 0 && k.chance(k.config.faultRate())) {
            return null;
        }
        IoErrorLogPacket p = new IoErrorLogPacket();
        errorLog.put(p, Boolean.FALSE);
        return p;
    }

    /** Whether an error log entry was handed to the system with IoWriteErrorLogEntry. */
    boolean errorLogWritten(Object entry) {
        return entry instanceof IoErrorLogPacket p && Boolean.TRUE.equals(errorLog.get(p));
    }

    @Override
    public void IoWriteErrorLogEntry(IoErrorLogPacket ElEntry) {
        Boolean written = ElEntry == null ? null : errorLog.get(ElEntry);
        if (written == null) {
            k.bugCheck("ErrorLogEntryUnchecked", "'IoWriteErrorLogEntry' is called with an entry that"
                    + " 'IoAllocateErrorLogEntry' did not return.");
        } else if (written) {
            k.report("ErrorLogEntryUnchecked", "'IoWriteErrorLogEntry' is called twice for one entry.", null);
        }
        errorLog.put(ElEntry, Boolean.TRUE);
    }

    // ---------------------------------------------------------------- controller objects

    private final Map<ControllerObject, Object[]> controllers = new IdentityHashMap<>();

    @Override
    public ControllerObject IoCreateController(Class<?> Size) {
        ControllerObject c = new ControllerObject();
        c.ControllerExtension = Size == null ? null : instantiate(Size);
        controllers.put(c, new Object[] {null, new java.util.ArrayDeque<Object[]>()});
        return c;
    }

    @Override
    public void IoDeleteController(ControllerObject ControllerObject) {
        controllers.remove(ControllerObject);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void IoAllocateController(ControllerObject ControllerObject, DeviceObject DeviceObject,
            DriverControl ExecutionRoutine, Object Context) {
        Object[] c = controllers.get(ControllerObject);
        if (c == null) {
            k.bugCheck("InvalidObject", "'IoAllocateController' is given a controller 'IoCreateController' did not create.");
        }
        java.util.ArrayDeque<Object[]> waiting = (java.util.ArrayDeque<Object[]>) c[1];
        if (c[0] != null) {
            waiting.add(new Object[] {DeviceObject, ExecutionRoutine, Context});
            return;
        }
        grantController(c, DeviceObject, ExecutionRoutine, Context);
    }

    private void grantController(Object[] c, DeviceObject d, DriverControl routine, Object context) {
        c[0] = d;
        int action = k.invoke(RoutineFrame.Role.CONTROL, () -> {
            self().frame().device = d;
            return routine.Control(d, d.CurrentIrp, null, context);
        });
        if (action == Wdm.DeallocateObject) {
            freeController(c);
        }
    }

    @SuppressWarnings("unchecked")
    private void freeController(Object[] c) {
        c[0] = null;
        Object[] next = ((java.util.ArrayDeque<Object[]>) c[1]).poll();
        if (next != null) {
            grantController(c, (DeviceObject) next[0], (DriverControl) next[1], next[2]);
        }
    }

    /** Whether a controller object is allocated to this device. */
    boolean controllerHeldBy(DeviceObject d) {
        for (Object[] c : controllers.values()) {
            if (c[0] == d) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void IoFreeController(ControllerObject ControllerObject) {
        Object[] c = controllers.get(ControllerObject);
        if (c == null || c[0] == null) {
            k.report("ControllerNotFreed", "'IoFreeController' releases a controller that is not allocated.", null);
            return;
        }
        freeController(c);
    }

    // ---------------------------------------------------------------- DMA and memory

    @Override
    public DmaAdapter IoGetDmaAdapter(DeviceObject PhysicalDeviceObject, DeviceDescription DeviceDescription,
            Out<Integer> NumberOfMapRegisters) {
        dev.dpccheck.kernel.hw.SimDevice device = k.io.deviceOf(PhysicalDeviceObject);
        if (device == null || !device.resources().busMaster() || DeviceDescription == null || !DeviceDescription.Master) {
            return null;
        }
        DmaAdapterObject a = new DmaAdapterObject(k, device, DeviceDescription.MaximumLength);
        k.adapters.add(a);
        NumberOfMapRegisters.value = a.mapRegistersPerTransfer;
        return a.adapter;
    }

    @Override
    public void KeFlushIoBuffers(Mdl Mdl, boolean ReadOperation, boolean DmaOperation) {
        if (!DmaOperation) {
            k.memory.flushIoBuffers(Mdl, ReadOperation);
        }
    }

    @Override
    public byte[] MmGetSystemAddressForMdlSafe(Mdl Mdl, int Priority) {
        return k.memory.systemAddress(Mdl);
    }

    @Override
    public long MmGetMdlVirtualAddress(Mdl Mdl) {
        return Mdl.StartVa + Mdl.ByteOffset;
    }

    @Override
    public int MmGetMdlByteCount(Mdl Mdl) {
        return Mdl.ByteCount;
    }

    @Override
    public long MmMapIoSpace(long PhysicalAddress, int NumberOfBytes, int CacheType) {
        for (dev.dpccheck.kernel.hw.SimDevice d : k.devices) {
            dev.dpccheck.kernel.hw.SimDevice.Resources r = d.resources();
            if (!r.ports() && PhysicalAddress >= r.base() && PhysicalAddress + NumberOfBytes <= r.base() + r.length()) {
                return k.memory.mapIoSpace(d, r.length()) + (PhysicalAddress - r.base());
            }
        }
        return 0;
    }

    @Override
    public void MmUnmapIoSpace(long BaseAddress, int NumberOfBytes) {
        if (!k.memory.unmapIoSpace(BaseAddress)) {
            k.report("InvalidObject", "'MmUnmapIoSpace' is given an address 'MmMapIoSpace' did not return.", null);
        }
    }

    // ---------------------------------------------------------------- events, waits, timers

    private EventObject event(KEvent e) {
        EventObject o = e == null ? null : events.get(e);
        if (o == null) {
            k.bugCheck("InvalidObject", "An event is used before 'KeInitializeEvent'.");
        }
        return o;
    }

    @Override
    public void KeInitializeEvent(KEvent Event, int Type, boolean State) {
        events.put(Event, new EventObject(Type == Wdm.SynchronizationEvent, State));
    }

    @Override
    public int KeSetEvent(KEvent Event, int Increment, boolean Wait) {
        EventObject e = event(Event);
        boolean was = e.signaled;
        k.hb.release(self(), e);
        e.signaled = true;
        return was ? 1 : 0;
    }

    @Override
    public void KeClearEvent(KEvent Event) {
        event(Event).signaled = false;
    }

    @Override
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
            k.bugCheck("InvalidObject", "'KeWaitForSingleObject' is given an object that is not a dispatcher object.");
            return 0;
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
        TimerObject o = t == null ? null : ktimers.get(t);
        if (o == null) {
            k.bugCheck("InvalidObject", "A timer is used before 'KeInitializeTimer'.");
        }
        return o;
    }

    @Override
    public void KeInitializeTimer(KTimer Timer) {
        ktimers.put(Timer, new TimerObject(false, "KTIMER #" + k.nextObjectNumber()));
    }

    @Override
    public void KeInitializeTimerEx(KTimer Timer, int Type) {
        ktimers.put(Timer, new TimerObject(Type == Wdm.SynchronizationTimer, "KTIMER #" + k.nextObjectNumber()));
    }

    @Override
    public boolean KeSetTimer(KTimer Timer, long DueTime, Kdpc Dpc) {
        return KeSetTimerEx(Timer, DueTime, 0, Dpc);
    }

    @Override
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

    @Override
    public boolean KeCancelTimer(KTimer Timer) {
        TimerObject t = timer(Timer);
        boolean was = t.set();
        t.dueTime = Long.MAX_VALUE;
        k.timers.remove(t);
        return was;
    }

    @Override
    public void KeStallExecutionProcessor(int MicroSeconds) {
        long until = k.scheduler.now + Math.max(1, MicroSeconds);
        k.scheduler.block(self(), () -> k.scheduler.now >= until, true, "a stall", until);
    }

    @Override
    public int KeDelayExecutionThread(int WaitMode, boolean Alertable, long Interval) {
        long until = k.scheduler.now + micros(Interval);
        k.scheduler.block(self(), () -> k.scheduler.now >= until, false, "a delay", until);
        return Wdm.STATUS_SUCCESS;
    }

    // ---------------------------------------------------------------- pool and memory

    @Override
    public byte[] ExAllocatePoolWithTag(int PoolType, long NumberOfBytes, int Tag) {
        byte[] b = new byte[(int) NumberOfBytes];
        k.memory.pool.put(b, new MemoryManager.PoolBlock(PoolType, Tag, false));
        return b;
    }

    @Override
    public <T> T ExAllocatePoolWithTag(int PoolType, Class<T> NumberOfBytes, int Tag) {
        T t = NumberOfBytes.cast(instantiate(NumberOfBytes));
        k.memory.pool.put(t, new MemoryManager.PoolBlock(PoolType, Tag, false));
        return t;
    }

    @Override
    public void ExFreePoolWithTag(Object P, int Tag) {
        MemoryManager.PoolBlock b = P == null ? null : k.memory.pool.get(P);
        if (b == null || b.freed()) {
            k.bugCheck("BadPoolCaller", "'ExFreePoolWithTag' frees memory that is not an allocation or was freed before.");
            return;
        }
        if (b.poolType() == Wdm.PagedPool && cpu().irql > Wdm.APC_LEVEL) {
            k.report("IrqlTooHigh", "'ExFreePoolWithTag' frees paged pool at " + IrqlContract.irqlName(cpu().irql) + ".", null);
        }
        k.memory.pool.put(P, new MemoryManager.PoolBlock(b.poolType(), b.tag(), true));
    }

    private void touch(Object buffer, String routine) {
        if (k.memory.isPaged(buffer) && cpu().irql >= Wdm.DISPATCH_LEVEL) {
            k.report("IrqlTooHigh", "'" + routine + "' touches paged pool at " + IrqlContract.irqlName(cpu().irql) + ".",
                    null);
        }
    }

    @Override
    public void RtlCopyMemory(byte[] Destination, int DestinationOffset, byte[] Source, int SourceOffset, int Length) {
        touch(Destination, "RtlCopyMemory");
        touch(Source, "RtlCopyMemory");
        System.arraycopy(Source, SourceOffset, Destination, DestinationOffset, Length);
    }

    @Override
    public void RtlZeroMemory(byte[] Destination, int Offset, int Length) {
        touch(Destination, "RtlZeroMemory");
        java.util.Arrays.fill(Destination, Offset, Offset + Length, (byte) 0);
    }

    // ---------------------------------------------------------------- files

    @Override
    public void InitializeObjectAttributes(ObjectAttributes InitializedAttributes, UnicodeString ObjectName,
            int Attributes, Handle RootDirectory, Object SecurityDescriptor) {
        InitializedAttributes.ObjectName = ObjectName;
        InitializedAttributes.Attributes = Attributes;
    }

    @Override
    public int ZwCreateFile(Out<Handle> FileHandle, int DesiredAccess, ObjectAttributes ObjectAttributes,
            IoStatusBlock IoStatusBlock, Long AllocationSize, int FileAttributes, int ShareAccess, int CreateDisposition,
            int CreateOptions, byte[] EaBuffer, int EaLength) {
        Handle h = new Handle();
        files.put(h, new StringBuilder());
        FileHandle.value = h;
        IoStatusBlock.Status = Wdm.STATUS_SUCCESS;
        return Wdm.STATUS_SUCCESS;
    }

    @Override
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

    @Override
    public int ZwClose(Handle Handle) {
        return files.remove(Handle) == null ? Wdm.STATUS_INVALID_PARAMETER : Wdm.STATUS_SUCCESS;
    }

    // ---------------------------------------------------------------- registers and ports

    private MemoryManager.IoMapping register(long va, int width) {
        MemoryManager.IoMapping m = k.memory.ioMappingAt(va, width);
        if (m == null) {
            k.bugCheck("InvalidRegisterAccess", "A register access at 0x" + Long.toHexString(va)
                    + " is outside every range mapped with 'MmMapIoSpace'.");
        }
        return m;
    }

    private int registerRead(long va, int width) {
        MemoryManager.IoMapping m = register(va, width);
        return m.device().read((int) (va - m.virtualBase()), width);
    }

    private void registerWrite(long va, int width, int value) {
        MemoryManager.IoMapping m = register(va, width);
        checkProgramming(m.device(), "WRITE_REGISTER_" + WIDTH_NAMES[width]);
        // the device's next interrupt follows what programmed it
        k.hb.release(self(), m.device());
        m.device().write((int) (va - m.virtualBase()), width, value);
    }

    private static final String[] WIDTH_NAMES = {"", "UCHAR", "USHORT", "", "ULONG"};

    /**
     * DeviceProgrammedOutsideSync: a DPC writes the registers or ports of a device whose interrupt
     * is connected without holding that interrupt's spin lock (a SynchCritSection, or
     * KeAcquireInterruptSpinLock), so that the ISR may run in the middle of the programming.
     */
    private void checkProgramming(dev.dpccheck.kernel.hw.SimDevice device, String routine) {
        KContext self = self();
        RoutineFrame f = self.frame();
        if (f == null || !f.role.isDpc()) {
            return;
        }
        for (InterruptObject io : k.interrupts) {
            if (io.device == device && io.connected && !self.heldLocks.contains(io.lock)) {
                k.report("DeviceProgrammedOutsideSync", "'" + f.role.wdkName + "' programs the device with '" + routine
                        + "' outside a SynchCritSection.", null);
                return;
            }
        }
    }

    private dev.dpccheck.kernel.hw.SimDevice port(long port, int width) {
        for (dev.dpccheck.kernel.hw.SimDevice d : k.devices) {
            dev.dpccheck.kernel.hw.SimDevice.Resources r = d.resources();
            if (r.ports() && port >= r.base() && port + width <= r.base() + r.length()) {
                return d;
            }
        }
        k.bugCheck("InvalidRegisterAccess", "A port access at 0x" + Long.toHexString(port)
                + " is outside every port range of the driver's devices.");
        return null;
    }

    private int portRead(long port, int width) {
        dev.dpccheck.kernel.hw.SimDevice d = port(port, width);
        return d.read((int) (port - d.resources().base()), width);
    }

    private void portWrite(long port, int width, int value) {
        dev.dpccheck.kernel.hw.SimDevice d = port(port, width);
        checkProgramming(d, "WRITE_PORT_" + WIDTH_NAMES[width]);
        k.hb.release(self(), d);
        d.write((int) (port - d.resources().base()), width, value);
    }

    @Override
    public byte READ_REGISTER_UCHAR(long Register) {
        return (byte) registerRead(Register, 1);
    }

    @Override
    public short READ_REGISTER_USHORT(long Register) {
        return (short) registerRead(Register, 2);
    }

    @Override
    public int READ_REGISTER_ULONG(long Register) {
        return registerRead(Register, 4);
    }

    @Override
    public void WRITE_REGISTER_UCHAR(long Register, byte Value) {
        registerWrite(Register, 1, Value & 0xFF);
    }

    @Override
    public void WRITE_REGISTER_USHORT(long Register, short Value) {
        registerWrite(Register, 2, Value & 0xFFFF);
    }

    @Override
    public void WRITE_REGISTER_ULONG(long Register, int Value) {
        registerWrite(Register, 4, Value);
    }

    @Override
    public byte READ_PORT_UCHAR(long Port) {
        return (byte) portRead(Port, 1);
    }

    @Override
    public short READ_PORT_USHORT(long Port) {
        return (short) portRead(Port, 2);
    }

    @Override
    public int READ_PORT_ULONG(long Port) {
        return portRead(Port, 4);
    }

    @Override
    public void WRITE_PORT_UCHAR(long Port, byte Value) {
        portWrite(Port, 1, Value & 0xFF);
    }

    @Override
    public void WRITE_PORT_USHORT(long Port, short Value) {
        portWrite(Port, 2, Value & 0xFFFF);
    }

    @Override
    public void WRITE_PORT_ULONG(long Port, int Value) {
        portWrite(Port, 4, Value);
    }

    @Override
    public void PAGED_CODE() {
        // the IRQL contract on the facade does the check
    }
}
