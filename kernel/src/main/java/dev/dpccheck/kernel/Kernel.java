package dev.dpccheck.kernel;

import dev.dpccheck.kernel.verifier.*;
import dev.dpccheck.kernel.hw.HostBus;
import dev.dpccheck.kernel.hw.Request;
import dev.dpccheck.kernel.hw.SimDevice;
import dev.dpccheck.kernel.hw.Workload;
import dev.dpccheck.wdm.DeviceObject;
import dev.dpccheck.wdm.DriverObject;
import dev.dpccheck.wdm.FileObject;
import dev.dpccheck.wdm.UnicodeString;
import dev.dpccheck.wdm.Wdm;
import dev.dpccheck.wdm.spi.KernelBinding;
import dev.dpccheck.wdm.spi.KernelServices;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * One simulated machine running one schedule of one driver: processors, scheduler, I/O manager,
 * memory, devices on the simulated bus, and the runtime verifier. It boots, loads the driver
 * (DriverEntry), lets the PnP manager add and start every device the driver binds, runs the
 * device's workload from simulated user threads, removes the devices, unloads the driver, and
 * checks the end-of-run oracles. Every violation names its rule and the driver's source line.
 */
public final class Kernel implements HostBus {
    /** dpccheck's version: a trace replays only in the version that wrote it. */
    public static final String VERSION = "0.1.0";
    final KernelConfig config;
    final DriverImage image;
    final Scheduler scheduler;
    final MemoryManager memory = new MemoryManager();
    final IoManager io;
    final Executive executive;
    private final Verifier verifier;
    final FieldMonitor fields = new FieldMonitor(this);
    final HappensBefore hb = new HappensBefore(this);
    final KernelServices services;
    final List<SimDevice> devices = new ArrayList<>();
    final List<InterruptObject> interrupts = new ArrayList<>();
    final List<TimerObject> timers = new ArrayList<>();
    final List<DmaAdapterObject> adapters = new ArrayList<>();
    private final Map<String, Violation> violations = new LinkedHashMap<>();
    private final long seed;
    /** The device's own decisions (latencies, faults) and the workload's: seeded streams apart from the strategy's. */
    private final SplittableRandom faultRandom;
    private final SplittableRandom workloadRandom;
    /** Objects named in options and traces (a CustomDpc, a KTIMER), numbered in order. */
    private int objectsNamed;
    /** The recorder of this schedule's choices and events, or null when it is not traced. */
    Trace trace;
    private boolean systemThreadDone;
    /** A failure of the kernel itself (its own memory ran out) that ended the schedule. */
    private volatile VirtualMachineError internalFailure;
    int irpsIssued;
    int irpsCompleted;
    private final List<Workload> workloads = new ArrayList<>();
    /** Where the driver completed each user request: what an end-of-run mismatch is traced to. */
    private final Map<Request, IoManager.Completed> completedAt = new java.util.IdentityHashMap<>();
    /** Set once every device has started: from here on, allocations may fail under fault injection. */
    boolean devicesStarted;

    /** A machine for one schedule of {@code image}, making every choice with {@code strategy}. */
    public Kernel(DriverImage image, KernelConfig config, SchedulingStrategy strategy, long seed) {
        this.image = image;
        this.config = config;
        this.seed = seed;
        this.faultRandom = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 1);
        this.workloadRandom = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 2);
        this.verifier = new Verifier(new Reports());
        this.lineHits = new long[image.probeCount()];
        this.scheduler = new Scheduler(this, strategy, config.cpus(), config.maxSteps());
        this.io = new IoManager(this);
        this.executive = new Executive(this);
        this.services = (KernelServices) Proxy.newProxyInstance(KernelServices.class.getClassLoader(),
                new Class<?>[] {KernelServices.class}, new CallGate(this, KernelServices.class, executive.components(), Wdm.class));
    }

    /** Runs the schedule to its end and returns what happened. */
    public ScheduleResult run() {
        for (String id : image.hardwareIds()) {
            for (int i = 0; i < image.instances(id); i++) {
                SimDevice d = Bus.create(id, devices.size());
                d.attach(this);
                devices.add(d);
            }
        }
        KContext system = scheduler.newThread("System", this::systemThread);
        try {
            scheduler.run(system, config.wallClockMillis());
        } finally {
            Hooks.unregister(this);
        }
        if (internalFailure != null) {
            throw internalFailure;
        }
        long verified = 0;
        for (Workload w : workloads) {
            verified += w.bytesVerified();
        }
        return new ScheduleResult(seed, List.copyOf(violations.values()), irpsIssued, irpsCompleted, verified,
                scheduler.steps, scheduler.now, scheduler.choices.size(), scheduler.choices.digest());
    }

    // ---------------------------------------------------------------- the system thread

    private void systemThread() {
        DriverObject driver = new DriverObject();
        driver.DriverName = new UnicodeString("\\Driver\\" + image.name());
        int status = invoke(RoutineFrame.Role.DRIVER_ENTRY,
                () -> image.driverEntry(driver, new UnicodeString("\\Registry\\Machine\\System\\" + image.name())));
        if (!Wdm.NT_SUCCESS(status)) {
            monitor(DriverLoadFailed.class).entryFailed(status);
            return;
        }
        if (driver.DriverExtension.AddDevice == null) {
            monitor(DriverLoadFailed.class).noAddDevice();
            return;
        }
        List<DeviceObject> stacks = new ArrayList<>();
        for (SimDevice d : devices) {
            DeviceObject pdo = io.createPdo(d);
            int s = invoke(RoutineFrame.Role.ADD_DEVICE, () -> driver.DriverExtension.AddDevice.AddDevice(driver, pdo));
            if (!Wdm.NT_SUCCESS(s) || pdo.AttachedDevice == null) {
                monitor(DriverLoadFailed.class).addDeviceFailed(d.name(), s, Wdm.NT_SUCCESS(s));
                continue;
            }
            DeviceObject top = io.topOfStack(pdo);
            if ((top.Flags & Wdm.DO_DEVICE_INITIALIZING) != 0) {
                monitor(DeviceInitializingNotCleared.class).addDeviceReturned();
            }
            int started = io.pnp(top, Wdm.IRP_MN_START_DEVICE, d);
            if (!Wdm.NT_SUCCESS(started)) {
                monitor(DeviceStartFailed.class).failed(d.name(), started);
                continue;
            }
            stacks.add(pdo);
        }
        devicesStarted = true;
        List<KContext> users = new ArrayList<>();
        for (DeviceObject pdo : stacks) {
            SimDevice d = io.deviceOf(pdo);
            Workload w = workloadOf(d);
            List<List<Request>> threads = w.threads();
            for (int t = 0; t < threads.size(); t++) {
                int thread = t;
                List<Request> requests = threads.get(t);
                users.add(scheduler.newThread("User thread " + t + " of " + d.name(),
                        () -> userThread(pdo, w, thread, requests)));
            }
        }
        KContext self = scheduler.current();
        scheduler.block(self, () -> users.stream().allMatch(u -> u.state == KContext.State.DONE), false,
                "user threads", Long.MAX_VALUE);
        for (DeviceObject pdo : stacks) {
            io.pnp(io.topOfStack(pdo), Wdm.IRP_MN_REMOVE_DEVICE, io.deviceOf(pdo));
        }
        if (driver.DriverUnload != null) {
            invoke(RoutineFrame.Role.UNLOAD, () -> {
                driver.DriverUnload.Unload(driver);
                return 0;
            });
        }
        endOfRun(driver);
    }

    private Workload workloadOf(SimDevice d) {
        Workload w = d.workload(new SimDevice.WorkloadSettings(config.threads(), config.requestsPerThread(),
                config.faultRate()));
        workloads.add(w);
        return w;
    }

    private void userThread(DeviceObject pdo, Workload workload, int thread, List<Request> requests) {
        FileObject file = new FileObject();
        int opened = io.userCreateClose(pdo, file, Wdm.IRP_MJ_CREATE);
        if (!Wdm.NT_SUCCESS(opened)) {
            return;
        }
        java.util.ArrayDeque<Request> left = new java.util.ArrayDeque<>(requests);
        // with overlap, the thread keeps several requests in flight and waits for them in the order it sent them
        java.util.ArrayDeque<IoManager.InFlight> inFlight = new java.util.ArrayDeque<>();
        while (!left.isEmpty() || !inFlight.isEmpty()) {
            if (!left.isEmpty() && inFlight.size() < steering.overlap()
                    && inFlight.stream().allMatch(f -> workload.mayOverlap(f.request(), left.peek()))) {
                Request next = left.poll();
                inFlight.add(io.issue(pdo, file, next, workload.cancellable(next)));
                continue;
            }
            IoManager.InFlight f = inFlight.poll();
            Request r = f.request();
            IoManager.Completed c = io.await(f);
            completedAt.put(r, c);
            if (c.status() == Wdm.STATUS_PENDING) {
                // CompleteWithPendingStatus's violation: what the request moved is unknown to the thread, and every
                // later difference in the device's data would follow from it; its data is no longer checked
                unchecked.add(workload);
            }
            if (unchecked.contains(workload)) {
                continue;
            }
            Request rest = workload.remainder(r, c.status(), c.information());
            if (rest != null) {
                left.addFirst(rest);
            }
            String wrong = workload.verify(thread, r, c.status(), c.information(), c.data());
            if (wrong != null) {
                monitor(DataCorruption.class).wrongData(r.describe(), wrong, c.site(), c.routine(), c.context());
            } else if (Wdm.NT_SUCCESS(c.status()) && r.majorFunction() != Wdm.IRP_MJ_DEVICE_CONTROL
                    && c.information() < r.length()) {
                monitor(PartialTransferShort.class).completed(r.describe(), c.information(), c.site(), c.routine(),
                        c.context());
            }
        }
        io.userCreateClose(pdo, file, Wdm.IRP_MJ_CLOSE);
    }

    /** The workloads whose data is no longer checked: a request of theirs completed with STATUS_PENDING. */
    private final java.util.Set<Workload> unchecked = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    private void endOfRun(DriverObject driver) {
        for (Workload w : workloads) {
            if (unchecked.contains(w)) {
                continue;
            }
            Workload.Mismatch wrong = w.finish();
            if (wrong != null) {
                Request last = wrong.lastRequest();
                IoManager.Completed c = last == null ? null : completedAt.get(last);
                monitor(DataCorruption.class).atEnd(wrong.what(), last == null ? null : last.describe(),
                        c == null ? null : c.site(), c == null ? null : c.routine(), c == null ? null : c.context());
            }
        }
        for (DmaAdapterObject a : adapters) {
            a.checkReleased();
        }
        if (io.outstandingCount() == 0) {
            executive.io.reportHeldRemoveLocks(true);
        }
        for (InterruptObject i : interrupts) {
            if (i.connected) {
                monitor(InterruptNotDisconnected.class).unloaded();
            }
        }
        io.checkAfterUnload(driver);
        systemThreadDone = true;
    }

    // ---------------------------------------------------------------- calling the driver

    /**
     * Calls a driver routine in the running context, with the monitors that apply at its entry and
     * exit (IRQL restored, no spin lock left held).
     */
    int invoke(RoutineFrame.Role role, Supplier<Integer> call) {
        KContext self = scheduler.current();
        Processor cpu = self.cpu;
        RoutineFrame frame = new RoutineFrame(role, cpu.irql, self.heldLocks.size(), self.driverDepth);
        self.frames.add(frame);
        executive.resetLoopBound();
        int depth = self.driverDepth;
        if (trace != null) {
            // recorded when its first driver method runs, which names it (routineEntered)
            frame.entryToTrace = IrqlContract.irqlName(cpu.irql);
        }
        try {
            Integer r = call.get();
            if (trace != null) {
                traceEntry(self, frame);
                trace.event(self, frame.name + " returns" + (r == null ? "" : " " + r));
            }
            return r == null ? 0 : r;
        } finally {
            self.driverDepth = depth;
            self.frames.remove(self.frames.size() - 1);
        }
    }

    /**
     * The first driver method {@code methodId} of a routine runs: it names the routine, unless it
     * is a lambda's body or named after the role. While tracing, the routine's entry is recorded
     * now: {@code enters BlkDpcForIsr (DpcForIsr) at DISPATCH_LEVEL}, the method and its role.
     */
    void routineEntered(KContext self, RoutineFrame frame, int methodId) {
        if (frame.methodRan) {
            return;
        }
        frame.methodRan = true;
        String method = image.methodSimpleName(methodId);
        frame.named = !method.contains("$") && !method.equals(frame.role.wdkName);
        if (frame.named) {
            frame.name = method;
        }
        traceEntry(self, frame);
    }

    /** Records a routine's entry, if it is traced and not yet recorded. */
    private void traceEntry(KContext self, RoutineFrame frame) {
        if (trace == null || frame.entryToTrace == null) {
            return;
        }
        trace.event(self, "enters " + frame.name + (frame.named ? " (" + frame.role.wdkName + ")" : "") + " at "
                + frame.entryToTrace);
        frame.entryToTrace = null;
    }

    /** Checks at the return of a routine's own frame; called by the exit hook with the driver frame live. */
    void routineReturning(KContext self, RoutineFrame frame) {
        Processor cpu = self.cpu;
        if (frame.role.changesLocks()) {
            return;
        }
        if (cpu.irql != frame.entryIrql && !frame.role.changesIrql()) {
            monitor(IrqlNotRestored.class).returned(frame.role.wdkName, cpu.irql, frame.entryIrql);
            cpu.irql = frame.entryIrql;
        }
        while (self.heldLocks.size() > frame.heldLocksAtEntry) {
            SpinLockObject lock = (SpinLockObject) self.heldLocks.remove(self.heldLocks.size() - 1);
            hb.release(self, lock);
            monitor(SpinLock.class).returnsHolding(frame.role.wdkName, lock.name);
            lock.owner = null;
        }
        if (frame.role.isDpc()) {
            for (Object d : frame.completedCurrentIrpOf) {
                if (!frame.startedNextOf.contains(d) && ((DeviceObject) d).DriverObject.DriverStartIo != null) {
                    monitor(DpcMissingStartNext.class).returned(io.nameOf((DeviceObject) d));
                }
                if (executive.io.controllerHeldBy((DeviceObject) d)) {
                    monitor(ControllerNotFreed.class).dpcReturns(io.nameOf((DeviceObject) d));
                }
            }
            for (DmaAdapterObject a : adapters) {
                a.checkDpcExit(frame);
            }
        }
    }

    // ---------------------------------------------------------------- activations

    /** By line probe: how often it ran in this schedule ({@link DriverImage.LineCoverage}). */
    final long[] lineHits;

    void lineRan(int probeId) {
        if (probeId < lineHits.length) {
            lineHits[probeId]++;
        }
    }

    /** Where a directed search looks in this schedule ({@link Goal}), or null. */
    Goal.Focus focus;
    /** How this schedule's workload is bent toward the goal ({@link Steering#NONE} when it is not). */
    private Steering steering = Steering.NONE;
    /** The methods of {@link Steering#refuseIn}, by id. */
    private java.util.BitSet refuseIn = new java.util.BitSet();

    void steer(Steering s) {
        steering = s;
        refuseIn = s.refuseIn(image);
    }

    Steering steering() {
        return steering;
    }

    /**
     * Whether an allocation the running context makes now fails, as Driver Verifier's low resources
     * simulation would fail it: at the fault rate, or at the steering's rate inside its methods.
     */
    boolean refuses() {
        if (config.faultRate() <= 0) {
            return false;
        }
        KContext c = scheduler.current();
        boolean steered = steering.refuseRate() > 0 && c != null && c.inAnyMethod(refuseIn);
        return chance(steered ? steering.refuseRate() : config.faultRate());
    }

    /** The ids of the driver's methods entered in this schedule. */
    final java.util.BitSet entered = new java.util.BitSet();

    /** DPC routines running now, on any processor. */
    int dpcsRunning;
    /** The happens-before key of every DPC's end, which KeFlushQueuedDpcs acquires. */
    static final Object DPCS_FLUSHED = new Object();

    /** Whether no DPC is queued or running on any processor. */
    boolean dpcsIdle() {
        if (dpcsRunning > 0) {
            return false;
        }
        for (Processor p : scheduler.cpus) {
            if (!p.dpcQueue.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    KContext startDpc(Processor cpu) {
        DpcObject dpc = cpu.dpcQueue.poll();
        KContext c = scheduler.newActivation(KContext.Kind.DPC, dpc.identity + " on " + cpu, dpc.identity, cpu, () -> {
            Processor p = scheduler.current().cpu;
            int saved = p.irql;
            p.irql = Wdm.DISPATCH_LEVEL;
            // the DPC's run follows the requests that queued it
            hb.start(scheduler.current(), hb.below(scheduler.current(), hb.carried(dpc)));
            dpc.queued = false;
            Object a1 = dpc.argument1;
            Object a2 = dpc.argument2;
            dpc.coalesced = 0;
            // a run with a dropped request's arguments serves that request after all
            dpc.lost.removeIf(l -> l[0] == a1 && l[1] == a2);
            dpcsRunning++;
            try {
                dpc.target.run(dpc, a1, a2);
            } finally {
                dpcsRunning--;
                // what the DPC did comes before a KeFlushQueuedDpcs that waited for it
                hb.release(scheduler.current(), DPCS_FLUSHED);
            }
            p.irql = saved;
        });
        return c;
    }

    KContext startIsr(InterruptObject io, Processor cpu) {
        io.device.interruptDelivered();
        return scheduler.newActivation(KContext.Kind.ISR, io.identity + " on " + cpu, io.identity, cpu, () -> {
            KContext self = scheduler.current();
            Processor p = self.cpu;
            int saved = p.irql;
            p.irql = io.synchronizeIrql;
            io.lock.owner = self;
            self.heldLocks.add(io.lock);
            // the ISR follows the writes that programmed its device, and holds the interrupt spin lock
            hb.start(self, hb.below(self, hb.carried(io.device)));
            hb.acquire(self, io.lock);
            invoke(RoutineFrame.Role.ISR, () -> {
                self.frame().interrupt = io;
                return io.isr.InterruptService(io.handle, io.serviceContext) ? 1 : 0;
            });
            self.heldLocks.remove(io.lock);
            hb.release(self, io.lock);
            io.lock.owner = null;
            p.irql = saved;
        });
    }

    // ---------------------------------------------------------------- scheduler callbacks

    List<InterruptObject> interrupts() {
        return interrupts;
    }

    /**
     * Adds the options of the devices whose next event is due at {@code now} or may come before its
     * time, and of the timers that are due.
     */
    void timedEvents(long now, List<Option> options) {
        for (SimDevice d : devices) {
            if (d.nextEventTime() <= now || d.mayHurry()) {
                options.add(new Option(Option.Kind.DEVICE, null, null, null, d, null, now, "device " + d.name()));
            }
        }
        for (TimerObject t : timers) {
            if (t.dueTime <= now) {
                options.add(new Option(Option.Kind.TIMER, null, null, null, null, t, t.dueTime, t.identity));
            }
        }
    }

    /** A device's internal events that are due now happen; one that was not due yet is brought forward to now. */
    void deviceEvent(SimDevice device) {
        if (trace != null) {
            trace.event(null, "device " + device.name() + ": " + (device.nextEventTime() <= scheduler.now ? "event"
                    : "event brought forward") + " at " + scheduler.now + " us");
        }
        if (device.nextEventTime() > scheduler.now) {
            device.hurry(scheduler.now);
        }
        device.step(scheduler.now);
    }

    long nextEventTime() {
        long next = Long.MAX_VALUE;
        for (SimDevice d : devices) {
            next = Math.min(next, d.nextEventTime());
        }
        for (TimerObject t : timers) {
            next = Math.min(next, t.dueTime);
        }
        return next;
    }

    /** A timer expires: it is signaled, a periodic one is set again, and its DPC is queued on a processor the strategy chooses. */
    void expire(TimerObject t) {
        if (trace != null) {
            trace.event(null, t.identity + ": expires at " + scheduler.now + " us");
        }
        t.signaled = true;
        t.dueTime = t.periodMicros > 0 ? scheduler.now + t.periodMicros : Long.MAX_VALUE;
        if (t.dpc != null) {
            // the timer's DPC follows the setting of the timer
            hb.forward(t, t.dpc);
            List<Option> where = new ArrayList<>();
            for (Processor cpu : scheduler.cpus) {
                where.add(new Option(Option.Kind.PLACE, cpu, null, null, null, t, 0, t.dpc.identity));
            }
            queueDpc(t.dpc, scheduler.cpus.get(scheduler.choose(where)), null, null);
        }
    }

    boolean queueDpc(DpcObject dpc, Processor cpu, Object a1, Object a2) {
        if (dpc.queued) {
            dpc.coalesced++;
            return false;
        }
        dpc.queued = true;
        dpc.argument1 = a1;
        dpc.argument2 = a2;
        cpu.dpcQueue.add(dpc);
        return true;
    }

    boolean scheduleComplete() {
        return systemThreadDone;
    }

    void hang(KContext running) {
        String where = running == null ? "no context" : "'" + running.currentRoutine() + "' in " + running.name;
        monitor(DriverHang.class).steps(config.maxSteps(), where);
    }

    /** Timers still fire but no IRP completes: the driver lost work (a stalled queue, a leaked resource). */
    void stalled(List<KContext> blocked, long micros) {
        reportCausesOfStall();
        monitor(Deadlock.class).noCompletion(micros / 1_000_000, waits(blocked));
    }

    void deadlock(List<KContext> blocked) {
        reportCausesOfStall();
        monitor(Deadlock.class).noProgress(waits(blocked));
    }

    /**
     * What a stall (or a run that ended with requests outstanding) can be traced to: DPC requests
     * lost to coalescing, resources that outlived their request (a controller, an adapter channel,
     * remove lock acquisitions that removal waits for), then the stalled queues and the requests
     * never completed.
     */
    void reportCausesOfStall() {
        executive.ke.reportLostDpcRequests();
        executive.io.reportHeldControllers();
        adapters.forEach(DmaAdapterObject::checkLeakAtStall);
        executive.io.reportHeldRemoveLocks(false);
        io.reportStalled();
    }

    /** The blocked contexts, each with what it waits for and the driver line it waits at, if it waits in driver code. */
    private String waits(List<KContext> blocked) {
        StringBuilder sb = new StringBuilder();
        for (KContext c : blocked) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(c.name).append(c.waitingFor == null ? "" : " waits for " + c.waitingFor);
            StackTraceElement at = image.driverFrame(stackOf(c));
            if (at != null) {
                sb.append(" at ").append(image.sourceName(at)).append(':').append(at.getLineNumber()).append(" in '")
                        .append(at.getMethodName()).append('\'');
            }
        }
        return sb.toString();
    }

    void driverThrew(KContext context, Throwable t) {
        Throwable cause = t;
        while ((cause instanceof InvocationTargetException || cause instanceof ExceptionInInitializerError)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        StackTraceElement at = image.driverFrame(cause.getStackTrace());
        if (at == null && cause instanceof VirtualMachineError) {
            // the kernel's own memory or stack ran out, not the driver's: dpccheck's failure, not a violation
            internalFailure = (VirtualMachineError) cause;
            scheduler.abort();
            return;
        }
        if (cause instanceof NullPointerException) {
            // the root cause, where a refused error log entry was used: reported besides the exception
            List<StackTraceElement> driver = image.driverFrames(cause.getStackTrace());
            monitor(ErrorLogEntryUnchecked.class).threw(context, (NullPointerException) cause,
                    driver.isEmpty() ? null : driver.get(driver.size() - 1));
        }
        monitor(UnhandledException.class).threw(context.currentRoutine(), cause.getClass().getName(), cause.getMessage(),
                at);
        scheduler.abort();
    }

    /**
     * The schedule's wall-clock bound passed with driver code running and not returning to the
     * kernel (a loop inside the JDK, a blocked call): located where the driver's thread stands.
     */
    void stuckOutsideKernel(KContext running, long millis) {
        monitor(DriverHang.class).wallClock(IsolatedSimulation.seconds(millis),
                running == null ? null : running.currentRoutine(), stackOf(running));
    }

    /** Whether a context of this schedule still runs driver code after the schedule ended. */
    boolean contextsStillRunning() {
        return scheduler.liveContexts() > 0;
    }

    int nextObjectNumber() {
        return ++objectsNamed;
    }

    /** In a traced schedule, driver code read a field, static field or array element (after its scheduling point). */
    void traceRead(Object object, int fieldId, int index) {
        if (trace != null) {
            trace.access(scheduler.current(), object, fieldId, index, false, null);
        }
    }

    /** In a traced schedule, driver code writes {@code value} to a field, static field or array element. */
    void traceWrite(Object object, int fieldId, int index, Object value) {
        if (trace != null) {
            trace.access(scheduler.current(), object, fieldId, index, true, value);
        }
    }

    void bindThread() {
        KernelBinding.bind(services);
        Hooks.bind(this);
    }

    void unbindThread() {
        KernelBinding.bind(null);
        Hooks.bind(null);
    }

    // ---------------------------------------------------------------- violations

    /** This kernel's runtime monitor of a rule: the only way the kernel reports a violation. */
    <T extends Monitor> T monitor(Class<T> type) {
        return verifier.get(type);
    }

    /**
     * Where monitors report. A violation is recorded in the code of the routine the kernel called
     * (the frame of the routine's own method, as a static finding is reported where the routine
     * calls the helper that commits it), or at the given site. When the defect lies in a helper,
     * the message names the helper's line. The same rule at the same place is recorded once per
     * schedule.
     */
    private final class Reports implements Sink {
        @Override
        public void report(String rule, String message, StackTraceElement at) {
            Kernel.this.report(rule, message, at, at == null ? new Throwable().getStackTrace() : null);
        }

        @Override
        public void reportAs(String rule, String message, StackTraceElement at, String routine, String context) {
            if (at == null) {
                report(rule, message, null);
                return;
            }
            Violation v = violation(rule, message, at, null);
            synchronized (Kernel.this) {
                violations.putIfAbsent(v.key(), new Violation(v.rule(), v.message(), v.file(), v.line(), routine, context,
                        v.time(), v.step()));
            }
        }

        @Override
        public void reportIn(String rule, String message, StackTraceElement[] stack) {
            Kernel.this.report(rule, message, null, stack);
        }

        @Override
        public void reportRun(String rule, String message) {
            Kernel.this.report(rule, message, NO_SITE, null);
        }

        @Override
        public RuntimeException bugCheck(String rule, String message) {
            Kernel.this.report(rule, message, null, new Throwable().getStackTrace());
            scheduler.abort();
            throw new ScheduleAbort();
        }
    }

    private synchronized void report(String rule, String message, StackTraceElement at, StackTraceElement[] trace) {
        Violation v = violation(rule, message, at, trace);
        violations.putIfAbsent(v.key(), v);
    }

    private Violation violation(String rule, String message, StackTraceElement at, StackTraceElement[] trace) {
        KContext c = scheduler.current();
        StackTraceElement frame = at == NO_SITE ? null : at;
        if (at == null) {
            frame = routineSite(c, trace);
            StackTraceElement innermost = image.driverFrame(trace);
            if (innermost != null && frame != null && !innermost.equals(frame)) {
                message = message.substring(0, message.length() - (message.endsWith(".") ? 1 : 0)) + " (in '"
                        + innermost.getMethodName() + "' at line " + innermost.getLineNumber() + ").";
            }
            if (frame == null) {
                // only an initializer of the driver's runs: that is where the defect is
                frame = innermost;
            }
        }
        String file = frame == null ? null : image.sourcePath(frame);
        int line = frame == null ? 0 : frame.getLineNumber();
        boolean wholeRun = c == null || at == NO_SITE;
        return new Violation(rule, message, file, line, wholeRun ? "-" : c.currentRoutine(),
                wholeRun ? "-" : c.name, scheduler.now, scheduler.steps);
    }

    /**
     * A violation located where the running context's driver code stands now, seen from another
     * thread (the child JVM's shutdown hook when driver code ended the process).
     */
    Violation violationWhereRunning(String rule, String message) {
        return violation(rule, message, null, stackOf(scheduler.current()));
    }

    /** Where a context's thread stands now, seen from another thread; empty when no thread carries it. */
    private static StackTraceElement[] stackOf(KContext c) {
        Worker w = c == null ? null : c.worker;
        return w == null ? new StackTraceElement[0] : w.thread.getStackTrace();
    }

    /** A violation of the whole run, which no driver line commits. */
    static final StackTraceElement NO_SITE = new StackTraceElement("-", "-", null, -1);

    /** The driver frame of the running routine's own method, as violations are located. */
    StackTraceElement routineSite(KContext c) {
        return routineSite(c, new Throwable().getStackTrace());
    }

    private StackTraceElement routineSite(KContext c, StackTraceElement[] trace) {
        RoutineFrame f = c == null ? null : c.frame();
        List<StackTraceElement> driver = image.driverFrames(trace);
        if (driver.isEmpty()) {
            return null;
        }
        if (f == null || f.driverDepth >= driver.size()) {
            return driver.get(0);
        }
        return driver.get(driver.size() - 1 - f.driverDepth);
    }

    // ---------------------------------------------------------------- HostBus

    @Override
    public long now() {
        return scheduler.now;
    }

    @Override
    public int random(int n) {
        return n <= 1 ? 0 : faultRandom.nextInt(n);
    }

    @Override
    public int workloadRandom(int n) {
        return n <= 1 ? 0 : workloadRandom.nextInt(n);
    }

    @Override
    public boolean dmaWrite(SimDevice device, long logicalAddress, byte[] data, int offset, int length) {
        return busMasterTransfer(device, logicalAddress, data, offset, length, true);
    }

    @Override
    public boolean dmaRead(SimDevice device, long logicalAddress, byte[] data, int offset, int length) {
        return busMasterTransfer(device, logicalAddress, data, offset, length, false);
    }

    /** A transfer through the map registers of the device's adapter; false (a bus error) without one. */
    private boolean busMasterTransfer(SimDevice device, long logical, byte[] data, int offset, int length,
            boolean toMemory) {
        for (DmaAdapterObject a : adapters) {
            if (a.device == device) {
                return a.deviceTransfer(logical, data, offset, length, toMemory);
            }
        }
        return false;
    }

    @Override
    public <T extends Monitor> T verifier(Class<T> monitor) {
        return monitor(monitor);
    }
}
