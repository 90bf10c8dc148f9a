package dev.dpccheck.kernel;

import dev.dpccheck.kernel.verifier.*;
import dev.dpccheck.kernel.hw.Request;
import dev.dpccheck.kernel.hw.SimDevice;
import dev.dpccheck.wdm.CmPartialResourceDescriptor;
import dev.dpccheck.wdm.CmResourceList;
import dev.dpccheck.wdm.DeviceObject;
import dev.dpccheck.wdm.DriverCancel;
import dev.dpccheck.wdm.DriverObject;
import dev.dpccheck.wdm.FileObject;
import dev.dpccheck.wdm.IoCompletionRoutine;
import dev.dpccheck.wdm.IoStackLocation;
import dev.dpccheck.wdm.IoStatusBlock;
import dev.dpccheck.wdm.Irp;
import dev.dpccheck.wdm.UnicodeString;
import dev.dpccheck.wdm.Wdm;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The I/O manager: device objects and stacks, IRPs with their stack locations, IoCallDriver,
 * completion with completion routines, the device queue with StartIo (IoStartPacket,
 * IoStartNextPacket(ByKey), deferred StartIo), and the requests of simulated user threads.
 * See https://learn.microsoft.com/windows-hardware/drivers/kernel/handling-irps and
 * https://learn.microsoft.com/windows-hardware/drivers/kernel/startio-routines
 */
final class IoManager {
    static final int SL_PENDING_RETURNED = 0x01;
    static final int SL_INVOKE_ON_CANCEL = 0x20;
    static final int SL_INVOKE_ON_SUCCESS = 0x40;
    static final int SL_INVOKE_ON_ERROR = 0x80;

    /** What the I/O manager keeps about a device object. */
    static final class DeviceState {
        final String name;
        final SimDevice hardware;
        final List<Irp> queue = new ArrayList<>();
        final List<Integer> keys = new ArrayList<>();
        boolean busy;
        int startIoDepth;
        /** The number of the StartIo run of the device's current request (see {@link IoManager#operations}). */
        long operation;
        boolean deferredStartIo;
        /** The key of a deferred IoStartNextPacketByKey, applied when the outer StartIo returns. */
        Integer pendingKey;
        boolean nonCancelable;
        boolean nextPending;
        boolean deleted;
        DpcObject dpcForIsr;
        TimerObject ioTimer;
        DeviceObject lower;
        /** The last driver call that changed the device queue. */
        Touch lastTouch;
        /** The completion of the device's current request, until StartIo starts another: what IoStartNextPacket should follow. */
        Touch currentEnded;

        DeviceState(String name, SimDevice hardware) {
            this.name = name;
            this.hardware = hardware;
        }
    }

    /** A driver call, and the driver line it was made at (null when no driver frame was found). */
    record Touch(String routine, StackTraceElement site) {
    }

    /** The driver call being made now, where it stands in the driver's source. */
    Touch touch(String routine) {
        return new Touch(routine, kernel.image.driverFrame(new Throwable().getStackTrace()));
    }

    /** A touch in words: {@code 'IoMarkIrpPending' at DmaDiskDriver.java:100 in 'DispatchReadWrite'}. */
    String describe(Touch t) {
        if (t == null) {
            return null;
        }
        return "'" + t.routine() + "'" + (t.site() == null ? ""
                : " at " + kernel.image.sourceName(t.site()) + ":" + t.site().getLineNumber() + " in '"
                        + t.site().getMethodName() + "'");
    }

    /** An IRP was parked by a driver call: the place an IRP never completed was last seen. */
    void parked(Irp irp, String routine) {
        IrpState s = irps.get(irp);
        if (s != null) {
            s.lastTouch = touch(routine);
        }
    }

    /** The IRP whose Tail.Overlay.ListEntry this is, or null. */
    Irp irpOf(Object entry) {
        return irpOfEntry.get(entry);
    }

    /** What the I/O manager keeps about an IRP. */
    static final class IrpState {
        final IoStackLocation[] stack;
        boolean completed;
        boolean userRequest;
        int finalStatus;
        long finalInformation;
        byte[] userBuffer;
        StackTraceElement completionSite;
        /** The routine and the context that completed the IRP. */
        String completedInRoutine;
        String completedInContext;
        /** The last driver call that parked the IRP: marked it pending, queued it, or passed it down. */
        Touch lastTouch;
        DeviceObject startedOn;
        /** Whether anyone (the driver, a lower driver, the PnP manager) set IoStatus.Status. */
        boolean statusSet;

        IrpState(int size) {
            stack = new IoStackLocation[size];
            for (int i = 0; i < size; i++) {
                stack[i] = new IoStackLocation();
            }
        }
    }

    /**
     * A user request as it came back: its status, byte count and data, and where the driver
     * completed it (the line, and the routine and context that ran it).
     */
    record Completed(int status, long information, byte[] data, StackTraceElement site, String routine,
            String context) {
    }

    private final Kernel kernel;
    private final DriverObject busDriver = new DriverObject();
    /** Insertion-ordered so that reports over all devices come out in a fixed order. */
    final Map<DeviceObject, DeviceState> devices = new java.util.LinkedHashMap<>();
    final Map<Irp, IrpState> irps = new IdentityHashMap<>();
    /** The IRP of each I/O status block, for the field monitor's writes to IoStatus.Status. */
    private final Map<IoStatusBlock, IrpState> statusBlocks = new IdentityHashMap<>();
    private final List<Irp> outstanding = new ArrayList<>();

    IoManager(Kernel kernel) {
        this.kernel = kernel;
        busDriver.DriverName = new UnicodeString("\\Driver\\SimBus");
        for (int i = 0; i <= Wdm.IRP_MJ_MAXIMUM_FUNCTION; i++) {
            busDriver.MajorFunction[i] = this::busDispatch;
        }
    }

    // ---------------------------------------------------------------- device objects

    DeviceObject createPdo(SimDevice hardware) {
        DeviceObject pdo = new DeviceObject();
        pdo.DriverObject = busDriver;
        pdo.StackSize = 1;
        pdo.DeviceType = Wdm.FILE_DEVICE_UNKNOWN;
        devices.put(pdo, new DeviceState(hardware.name() + " PDO", hardware));
        return pdo;
    }

    DeviceObject createDevice(DriverObject driver, Object extension, int type) {
        DeviceObject d = new DeviceObject();
        d.DriverObject = driver;
        d.DeviceExtension = extension;
        d.DeviceType = type;
        d.StackSize = 1;
        d.Flags = Wdm.DO_DEVICE_INITIALIZING;
        d.NextDevice = driver.DeviceObject;
        driver.DeviceObject = d;
        int n = 0;
        for (DeviceState s : devices.values()) {
            n += s.hardware == null ? 1 : 0;
        }
        devices.put(d, new DeviceState(driver.DriverName.Buffer.substring(driver.DriverName.Buffer.lastIndexOf('\\') + 1)
                + "#" + n, null));
        return d;
    }

    DeviceState state(DeviceObject d) {
        DeviceState s = d == null ? null : devices.get(d);
        if (s == null) {
            throw kernel.monitor(InvalidObject.class)
                    .notAnObject("A routine was given a device object the I/O manager did not create.");
        }
        return s;
    }

    SimDevice deviceOf(DeviceObject d) {
        DeviceObject bottom = d;
        while (state(bottom).lower != null) {
            bottom = state(bottom).lower;
        }
        return state(bottom).hardware;
    }

    DeviceObject topOfStack(DeviceObject d) {
        DeviceObject top = d;
        while (top.AttachedDevice != null) {
            top = top.AttachedDevice;
        }
        return top;
    }

    String nameOf(DeviceObject d) {
        DeviceState s = devices.get(d);
        return s == null ? "?" : s.name;
    }

    DeviceObject attach(DeviceObject source, DeviceObject target) {
        DeviceObject top = topOfStack(target);
        top.AttachedDevice = source;
        state(source).lower = top;
        source.StackSize = top.StackSize + 1;
        return top;
    }

    // ---------------------------------------------------------------- IRPs

    Irp allocateIrp(int stackSize) {
        Irp irp = new Irp();
        irp.StackCount = stackSize;
        irp.CurrentLocation = stackSize + 1;
        IrpState s = new IrpState(stackSize);
        irps.put(irp, s);
        statusBlocks.put(irp.IoStatus, s);
        irpOfEntry.put(irp.Tail.Overlay.ListEntry, irp);
        return irp;
    }

    /** Each IRP by the list entry of its Tail.Overlay, which a driver's own queue links. */
    private final Map<Object, Irp> irpOfEntry = new IdentityHashMap<>();

    /**
     * A routine took an IRP (or the list entry of one) off a queue the driver keeps. When a DPC
     * does so, it is starting the next request, as IoStartNextPacket does for a driver with StartIo:
     * the DPC's accesses after it are checked for StartNextPacketTooEarly, and what it writes from
     * then on belongs to the new request.
     */
    void takenOffQueue(Object entryOrIrp, String routine) {
        Irp irp = entryOrIrp instanceof Irp i ? i : irpOfEntry.get(entryOrIrp);
        KContext self = kernel.scheduler.current();
        RoutineFrame f = self == null ? null : self.frame();
        if (irp == null || f == null || !f.role.isDpc()) {
            return;
        }
        IoStackLocation loc = current(irp);
        Object device = loc != null && loc.DeviceObject != null ? loc.DeviceObject : f.device;
        if (device == null || f.startedNext.containsKey(device) || !devices.containsKey(device)) {
            return;
        }
        f.startedNext.put(device, new RoutineFrame.StartedNext(kernel.routineSite(self), routine, operations, true));
        devices.get(device).operation = ++operations;
        f.startedFromQueue = device;
        f.startedIrp = irp;
    }

    /** The driver wrote IoStatus.Status of the IRP that owns {@code block}. */
    void statusWritten(Object block) {
        IrpState s = statusBlocks.get(block);
        if (s != null) {
            s.statusSet = true;
        }
    }

    IrpState irpState(Irp irp) {
        IrpState s = irp == null ? null : irps.get(irp);
        if (s == null) {
            throw kernel.monitor(InvalidObject.class)
                    .notAnObject("A routine was given an IRP the I/O manager did not build.");
        }
        return s;
    }

    /** Checks that a routine is not handed an IRP that was already completed. */
    IrpState live(Irp irp, String routine) {
        IrpState s = irpState(irp);
        if (s.completed) {
            kernel.monitor(IrpUsedAfterCompletion.class).called(routine);
        }
        return s;
    }

    IoStackLocation current(Irp irp) {
        IrpState s = irpState(irp);
        int i = irp.CurrentLocation - 1;
        return i >= 0 && i < s.stack.length ? s.stack[i] : null;
    }

    IoStackLocation next(Irp irp) {
        IrpState s = irpState(irp);
        int i = irp.CurrentLocation - 2;
        if (i < 0 || i >= s.stack.length) {
            throw kernel.monitor(NoMoreIrpStackLocations.class).noNext();
        }
        return s.stack[i];
    }

    int callDriver(DeviceObject target, Irp irp) {
        IrpState s = irpState(irp);
        DeviceState ds = state(target);
        if (ds.deleted) {
            kernel.monitor(InvalidObject.class).misused("'IoCallDriver' sends an IRP to a deleted device object.");
        }
        irp.CurrentLocation--;
        if (irp.CurrentLocation < 1) {
            throw kernel.monitor(NoMoreIrpStackLocations.class).noneLeft(ds.name);
        }
        IoStackLocation loc = s.stack[irp.CurrentLocation - 1];
        loc.DeviceObject = target;
        var dispatch = target.DriverObject.MajorFunction[loc.MajorFunction];
        if (dispatch == null) {
            irp.IoStatus.Status = Wdm.STATUS_INVALID_DEVICE_REQUEST;
            irpState(irp).statusSet = true;
            completeRequest(irp);
            return Wdm.STATUS_INVALID_DEVICE_REQUEST;
        }
        if (target.DriverObject == busDriver) {
            return dispatch.Dispatch(target, irp);
        }
        KContext self = kernel.scheduler.current();
        return kernel.invoke(RoutineFrame.Role.DISPATCH, () -> {
            RoutineFrame f = self.frame();
            f.irp = irp;
            f.device = target;
            return dispatch.Dispatch(target, irp);
        });
    }

    /** Called by the exit hook of a dispatch routine, with its return value and its frame live. */
    void dispatchReturning(RoutineFrame frame, int status) {
        if (status == Wdm.STATUS_PENDING && !frame.markedPending) {
            kernel.monitor(MarkIrpPending.class).pendingUnmarked();
        } else if (status != Wdm.STATUS_PENDING && frame.markedPending) {
            kernel.monitor(MarkIrpPending.class).markedNotPending(status);
        }
    }

    void markPending(Irp irp) {
        parked(irp, "IoMarkIrpPending");
        IoStackLocation loc = current(irp);
        if (loc != null) {
            loc.Control |= SL_PENDING_RETURNED;
        }
        List<RoutineFrame> frames = kernel.scheduler.current().frames;
        for (int i = frames.size() - 1; i >= 0; i--) {
            if (frames.get(i).irp == irp) {
                frames.get(i).markedPending = true;
                break;
            }
        }
    }

    void completeRequest(Irp irp) {
        IrpState s = irpState(irp);
        if (s.completed) {
            kernel.monitor(DoubleCompletion.class).completedAgain();
            return;
        }
        if (!s.statusSet) {
            kernel.monitor(IoStatusNotSet.class).completed();
        } else if (irp.IoStatus.Status == Wdm.STATUS_PENDING) {
            kernel.monitor(CompleteWithPendingStatus.class).completed();
        }
        if (kernel.executive.io.dropCancelRoutine(irp)) {
            kernel.monitor(CancelRoutineNotCleared.class).completed();
        }
        kernel.executive.beforeCompletion(irp, s);
        while (true) {
            IoStackLocation loc = s.stack[irp.CurrentLocation - 1];
            boolean pending = (loc.Control & SL_PENDING_RETURNED) != 0;
            IoCompletionRoutine routine = loc.CompletionRoutine;
            Object context = loc.Context;
            int control = loc.Control;
            loc.CompletionRoutine = null;
            loc.Context = null;
            loc.Control = 0;
            irp.CurrentLocation++;
            irp.PendingReturned = pending;
            if (irp.CurrentLocation > irp.StackCount) {
                break;
            }
            IoStackLocation upper = s.stack[irp.CurrentLocation - 1];
            boolean success = Wdm.NT_SUCCESS(irp.IoStatus.Status);
            boolean invoke = routine != null && (irp.Cancel ? (control & SL_INVOKE_ON_CANCEL) != 0
                    : success ? (control & SL_INVOKE_ON_SUCCESS) != 0 : (control & SL_INVOKE_ON_ERROR) != 0);
            if (invoke) {
                DeviceObject upperDevice = upper.DeviceObject;
                int r = kernel.invoke(RoutineFrame.Role.COMPLETION, () -> routine.IoCompletion(upperDevice, irp, context));
                if (r == Wdm.STATUS_MORE_PROCESSING_REQUIRED) {
                    return;
                }
            } else if (pending) {
                upper.Control |= SL_PENDING_RETURNED;
            }
        }
        finalCompletion(irp, s);
    }

    private void finalCompletion(Irp irp, IrpState s) {
        // the requester's return from its wait follows the completion
        kernel.hb.release(kernel.scheduler.current(), s);
        s.completed = true;
        kernel.scheduler.progressAt = kernel.scheduler.now;
        s.finalStatus = irp.IoStatus.Status;
        s.finalInformation = irp.IoStatus.Information;
        s.completionSite = kernel.image.driverFrame(new Throwable().getStackTrace());
        KContext completing = kernel.scheduler.current();
        s.completedInRoutine = completing == null ? "-" : completing.currentRoutine();
        s.completedInContext = completing == null ? "-" : completing.name;
        if (s.startedOn != null && devices.containsKey(s.startedOn)) {
            devices.get(s.startedOn).currentEnded = new Touch("IoCompleteRequest", s.completionSite);
        }
        if (s.userBuffer != null && irp.AssociatedIrp.SystemBuffer != null && Wdm.NT_SUCCESS(s.finalStatus)) {
            int n = (int) Math.min(Math.max(0, s.finalInformation), Math.min(s.userBuffer.length,
                    irp.AssociatedIrp.SystemBuffer.length));
            System.arraycopy(irp.AssociatedIrp.SystemBuffer, 0, s.userBuffer, 0, n);
        }
        if (irp.MdlAddress != null) {
            kernel.memory.unlock(irp.MdlAddress);
        }
        outstanding.remove(irp);
        // the IRP is freed: what a driver reads from it now is not its request any more
        irp.AssociatedIrp.SystemBuffer = null;
        irp.MdlAddress = null;
        irp.IoStatus.Status = 0xDEADBEEF;
        irp.IoStatus.Information = -1;
    }

    /** The kernel-owned bus driver under every PDO: completes what reaches it. */
    private int busDispatch(DeviceObject pdo, Irp irp) {
        IoStackLocation loc = current(irp);
        int status = loc.MajorFunction == Wdm.IRP_MJ_PNP ? Wdm.STATUS_SUCCESS : Wdm.STATUS_INVALID_DEVICE_REQUEST;
        irp.IoStatus.Status = status;
        irpState(irp).statusSet = true;
        completeRequest(irp);
        return status;
    }

    // ---------------------------------------------------------------- PnP and user requests

    int pnp(DeviceObject top, int minor, SimDevice hardware) {
        Irp irp = allocateIrp(top.StackSize);
        IoStackLocation loc = irpState(irp).stack[irp.CurrentLocation - 2];
        loc.MajorFunction = Wdm.IRP_MJ_PNP;
        loc.MinorFunction = minor;
        // the PnP manager initializes a PnP IRP's status to STATUS_NOT_SUPPORTED
        irp.IoStatus.Status = 0xC00000BB;
        irpState(irp).statusSet = true;
        if (minor == Wdm.IRP_MN_START_DEVICE) {
            loc.Parameters.StartDevice.AllocatedResources = resources(hardware);
            loc.Parameters.StartDevice.AllocatedResourcesTranslated = resources(hardware);
        }
        return send(top, irp);
    }

    /**
     * A user thread cancels one in this many of its requests that its driver left pending, as the
     * default workload: a driver that queues IRPs must handle their cancellation.
     */
    static final int CANCEL_ONE_IN = 8;

    private int send(DeviceObject top, Irp irp) {
        return awaitCompletion(irp, dispatch(top, irp, true));
    }

    /**
     * Sends a user request down the stack and returns what the dispatch routine returned; one the
     * workload lets it may be cancelled while pending.
     */
    private int dispatch(DeviceObject top, Irp irp, boolean mayCancel) {
        IrpState s = irpState(irp);
        s.userRequest = true;
        outstanding.add(irp);
        kernel.irpsIssued++;
        int status = callDriver(top, irp);
        KContext self = kernel.scheduler.current();
        if (mayCancel && status == Wdm.STATUS_PENDING && !s.completed
                && kernel.workloadRandom(kernel.steering().cancelOneIn()) == 0) {
            // the thread gives up on the request (CancelIo, or the thread ends) at a moment the strategy picks
            self.pending.call("IoCancelIrp", new Object[] {irp});
            kernel.scheduler.yieldPoint(self);
            self.pending.done();
            if (!s.completed) {
                if (kernel.trace != null) {
                    kernel.trace.event(self, "cancels " + kernel.fields.objectLabel(irp));
                }
                kernel.executive.io.cancel(irp);
            }
        }
        return status;
    }

    /** Waits for the request {@link #dispatch} sent, and returns its final status. */
    private int awaitCompletion(Irp irp, int status) {
        IrpState s = irpState(irp);
        KContext self = kernel.scheduler.current();
        kernel.scheduler.block(self, () -> s.completed, false, "completion of an IRP", Long.MAX_VALUE);
        kernel.hb.acquire(self, s);
        kernel.irpsCompleted++;
        if (status != Wdm.STATUS_PENDING && status != s.finalStatus) {
            kernel.monitor(DispatchStatusMismatch.class).returned(status, s.finalStatus, s.completionSite);
        }
        return s.finalStatus;
    }

    private static CmResourceList resources(SimDevice hardware) {
        SimDevice.Resources r = hardware.resources();
        CmPartialResourceDescriptor window = new CmPartialResourceDescriptor();
        window.Type = r.ports() ? Wdm.CmResourceTypePort : Wdm.CmResourceTypeMemory;
        CmPartialResourceDescriptor.Range range = r.ports() ? window.u.Port : window.u.Memory;
        range.Start = r.base();
        range.Length = r.length();
        CmPartialResourceDescriptor interrupt = new CmPartialResourceDescriptor();
        interrupt.Type = Wdm.CmResourceTypeInterrupt;
        interrupt.Flags = r.latched() ? 1 : 0;
        interrupt.u.Interrupt.Level = r.level();
        interrupt.u.Interrupt.Vector = r.vector();
        interrupt.u.Interrupt.Affinity = -1L;
        CmResourceList list = new CmResourceList();
        CmResourceList.CmFullResourceDescriptor full = new CmResourceList.CmFullResourceDescriptor();
        full.InterfaceType = Wdm.PCIBus;
        full.PartialResourceList.Count = 2;
        full.PartialResourceList.PartialDescriptors = new CmPartialResourceDescriptor[] {window, interrupt};
        list.Count = 1;
        list.List = new CmResourceList.CmFullResourceDescriptor[] {full};
        return list;
    }

    int userCreateClose(DeviceObject pdo, FileObject file, int major) {
        DeviceObject top = topOfStack(pdo);
        file.DeviceObject = top;
        Irp irp = allocateIrp(top.StackSize);
        IoStackLocation loc = irpState(irp).stack[irp.CurrentLocation - 2];
        loc.MajorFunction = major;
        loc.FileObject = file;
        irp.RequestorMode = Wdm.UserMode;
        return send(top, irp);
    }

    /** A user request sent and not yet waited for: what the thread waits for. */
    record InFlight(Request request, Irp irp, int status, byte[] user) {
    }

    /** Sends a user thread's request; the thread waits for it with {@link #await}. */
    InFlight issue(DeviceObject pdo, FileObject file, Request r, boolean mayCancel) {
        DeviceObject top = topOfStack(pdo);
        Irp irp = allocateIrp(top.StackSize);
        IrpState s = irpState(irp);
        IoStackLocation loc = s.stack[irp.CurrentLocation - 2];
        loc.MajorFunction = r.majorFunction();
        loc.FileObject = file;
        irp.RequestorMode = Wdm.UserMode;
        byte[] user = new byte[r.length()];
        if (r.data() != null) {
            System.arraycopy(r.data(), 0, user, 0, r.length());
        } else {
            java.util.Arrays.fill(user, (byte) 0xCC);
        }
        s.userBuffer = user;
        if (r.majorFunction() == Wdm.IRP_MJ_DEVICE_CONTROL) {
            loc.Parameters.DeviceIoControl.IoControlCode = r.ioControlCode();
            loc.Parameters.DeviceIoControl.OutputBufferLength = r.length();
            irp.AssociatedIrp.SystemBuffer = new byte[r.length()];
        } else {
            IoStackLocation.ReadWrite rw = r.majorFunction() == Wdm.IRP_MJ_READ ? loc.Parameters.Read
                    : loc.Parameters.Write;
            rw.Length = r.length();
            rw.ByteOffset = r.offset();
            if ((top.Flags & Wdm.DO_DIRECT_IO) != 0) {
                int offset = kernel.random(8) * 512;
                irp.MdlAddress = kernel.memory.lockUserBuffer(user, offset);
            } else if ((top.Flags & Wdm.DO_BUFFERED_IO) != 0) {
                irp.AssociatedIrp.SystemBuffer = user.clone();
            }
        }
        return new InFlight(r, irp, dispatch(top, irp, mayCancel), user);
    }

    /** Waits for a request {@link #issue} sent, and returns how it completed. */
    Completed await(InFlight f) {
        int status = awaitCompletion(f.irp(), f.status());
        IrpState s = irpState(f.irp());
        return new Completed(status, s.finalInformation, f.user(), s.completionSite, s.completedInRoutine,
                s.completedInContext);
    }

    // ---------------------------------------------------------------- StartIo

    /** The StartIo runs so far, numbered from 1: what tells a request started after a call from one before it. */
    long operations;

    void startPacket(DeviceObject d, Irp irp, Integer key, DriverCancel cancel) {
        DeviceState ds = state(d);
        // the device queue is taken under its spin lock: its operations are ordered one after the other
        kernel.hb.passThrough(kernel.scheduler.current(), ds);
        IrpState s = live(irp, "IoStartPacket");
        s.lastTouch = touch("IoStartPacket");
        ds.lastTouch = s.lastTouch;
        kernel.hb.release(kernel.scheduler.current(), irp);
        Processor cpu = kernel.scheduler.current().cpu;
        int old = cpu.irql;
        cpu.irql = Math.max(old, Wdm.DISPATCH_LEVEL);
        if (ds.busy) {
            int k = key == null ? 0 : key;
            int at = ds.queue.size();
            if (key != null) {
                at = 0;
                while (at < ds.keys.size() && ds.keys.get(at) <= k) {
                    at++;
                }
            }
            ds.queue.add(at, irp);
            ds.keys.add(at, k);
        } else {
            ds.busy = true;
            d.CurrentIrp = irp;
            s.startedOn = d;
            callStartIo(d, ds, irp);
        }
        cpu.irql = old;
    }

    void startNextPacket(DeviceObject d, Integer key) {
        DeviceState ds = state(d);
        // the device queue is taken under its spin lock: its operations are ordered one after the other
        kernel.hb.passThrough(kernel.scheduler.current(), ds);
        ds.lastTouch = touch(key == null ? "IoStartNextPacket" : "IoStartNextPacketByKey");
        RoutineFrame f = kernel.scheduler.current().frame();
        if (f != null) {
            f.startedNextOf.add(d);
        }
        if (ds.startIoDepth > 0) {
            if (ds.deferredStartIo) {
                ds.nextPending = true;
                ds.pendingKey = key;
                return;
            }
            kernel.monitor(StartIoRecursion.class).recursed();
        }
        Irp next = dequeue(ds, key);
        if (next == null) {
            ds.busy = false;
            d.CurrentIrp = null;
            return;
        }
        d.CurrentIrp = next;
        irpState(next).startedOn = d;
        callStartIo(d, ds, next);
    }

    private Irp dequeue(DeviceState ds, Integer key) {
        if (ds.queue.isEmpty()) {
            return null;
        }
        int at = 0;
        if (key != null) {
            while (at < ds.keys.size() && ds.keys.get(at) < key) {
                at++;
            }
            if (at == ds.keys.size()) {
                at = 0;
            }
        }
        ds.keys.remove(at);
        return ds.queue.remove(at);
    }

    private void callStartIo(DeviceObject d, DeviceState ds, Irp irp) {
        var startIo = d.DriverObject.DriverStartIo;
        if (startIo == null) {
            kernel.monitor(StartIoMissing.class).started();
            return;
        }
        Irp current = irp;
        while (current != null) {
            ds.startIoDepth++;
            Irp arg = current;
            try {
                ds.operation = ++operations;
                ds.currentEnded = null;
                kernel.invoke(RoutineFrame.Role.START_IO, () -> {
                    // StartIo of an IRP follows the IoStartPacket that queued it, in whatever context it runs
                    kernel.hb.acquire(kernel.scheduler.current(), arg);
                    RoutineFrame f = kernel.scheduler.current().frame();
                    f.irp = arg;
                    f.device = d;
                    startIo.StartIo(d, arg);
                    return 0;
                });
            } finally {
                ds.startIoDepth--;
            }
            current = null;
            if (ds.deferredStartIo && ds.nextPending && ds.startIoDepth == 0) {
                ds.nextPending = false;
                current = dequeue(ds, ds.pendingKey);
                ds.pendingKey = null;
                if (current == null) {
                    ds.busy = false;
                    d.CurrentIrp = null;
                } else {
                    d.CurrentIrp = current;
                    irpState(current).startedOn = d;
                }
            }
        }
    }

    // ---------------------------------------------------------------- oracles

    void reportStalled() {
        for (Map.Entry<DeviceObject, DeviceState> e : devices.entrySet()) {
            DeviceState ds = e.getValue();
            if (!ds.queue.isEmpty()) {
                kernel.monitor(DeviceQueueStalled.class).stalled(ds.name, ds.queue.size(), describe(ds.currentEnded),
                        describe(ds.lastTouch));
            }
        }
        if (!outstanding.isEmpty()) {
            Irp irp = outstanding.get(0);
            IrpState s = irps.get(irp);
            kernel.monitor(IrpNeverCompleted.class).outstanding(outstanding.size(),
                    s.startedOn != null ? nameOf(s.startedOn) : null, kernel.fields.objectLabel(irp), describe(s.lastTouch));
        }
    }

    /** The user requests sent and not completed. */
    int outstandingCount() {
        return outstanding.size();
    }

    void checkAfterUnload(DriverObject driver) {
        if (driver.DeviceObject != null) {
            kernel.monitor(DeviceObjectLeak.class).unloaded(nameOf(driver.DeviceObject));
        }
        if (!outstanding.isEmpty()) {
            kernel.reportCausesOfStall();
        }
    }
}
