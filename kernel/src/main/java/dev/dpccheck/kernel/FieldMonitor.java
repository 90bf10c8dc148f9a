package dev.dpccheck.kernel;

import dev.dpccheck.kernel.verifier.*;
import dev.dpccheck.wdm.Irp;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver's accesses to memory (the instrumented field, static field and array element
 * accesses of {@link Hooks}): where they are scheduling points, how options and traces name what
 * they touch, and the runtime monitors that watch them.
 *
 * <p>An access is a scheduling point once the object is shared: a second context touched it, or
 * it is the same field of another object that was found shared (a device extension's field is a
 * point on every device). Objects are numbered in the order they are first touched or named, so a
 * schedule names them the same way each time it runs.
 *
 * <p>Facts are kept per object and field, by identity (an array's elements together, as one
 * location):
 * <ul>
 * <li>a field written while StartIo, a routine StartIo started (AdapterControl,
 * ControllerControl) or the ISR runs is per-operation context; a DPC that touches such a field
 * after its own IoStartNextPacket(ByKey) started the next operation commits
 * StartNextPacketTooEarly, reported at the IoStartNextPacket call. {@code DeviceObject.CurrentIrp}
 * is per-operation context by definition.</li>
 * <li>a field the ISR touches is shared with the ISR while the interrupt is connected; any other
 * routine that touches it, when one of the two accesses is a write, must hold the interrupt spin
 * lock (a SynchCritSection run by KeSynchronizeExecution, or KeAcquireInterruptSpinLock) or run
 * at its SynchronizeIrql: otherwise SharedContextUnsynchronized.</li>
 * <li>an ISR that writes a field after its IoRequestDpc, which a DPC then reads outside a
 * SynchCritSection, commits IsrRequestDpcNotLast (at the ISR's line).</li>
 * <li>a field of an IRP touched after its final completion is IrpUsedAfterCompletion.</li>
 * <li>a field of an error log entry touched after IoWriteErrorLogEntry is ErrorLogEntryUnchecked.</li>
 * <li>a write to an IRP's IoStatus.Status tells the I/O manager that the status was set (IoStatusNotSet).</li>
 * </ul>
 * See https://learn.microsoft.com/windows-hardware/drivers/kernel/registering-and-queuing-a-dpcforisr-routine
 */
final class FieldMonitor {
    /** What is known about one field of one object. */
    private static final class Facts {
        /** The device whose request's StartIo or AdapterControl wrote the field last, and the number of that StartIo run. */
        Object writtenForDevice;
        long writtenByOperation;
        InterruptObject isr;
        boolean isrWrote;
        /** The stack of an ISR's last write after it queued its DPC, until a DPC reads the field (or null). */
        StackTraceElement[] writtenAfterDpcQueued;
    }

    /** The field id that stands for the elements of an array. */
    static final int ARRAY = -2;
    /** The field id that stands for the links of a list, as the list routines change them: one location per list head. */
    static final int LIST = -3;

    /** What is known about one object: its number in the schedule, who touched it first, its fields' facts. */
    private static final class ObjectState {
        final int id;
        KContext first;
        boolean shared;
        Facts[] facts;
        /** For an array: what is known of its elements, together. */
        Facts elements;

        ObjectState(int id) {
            this.id = id;
        }
    }

    private final Kernel k;
    private final Map<Object, ObjectState> objects = new IdentityHashMap<>();
    /** By field id: found shared on some object, so an access to it on any object is a scheduling point. */
    private boolean[] sharedFields = new boolean[0];

    FieldMonitor(Kernel k) {
        this.k = k;
    }

    /**
     * An access of driver code: a scheduling point when the object is one that two contexts reach
     * (found as the run goes: a second context touched it, or the same field of another object),
     * then the monitors. {@code fieldId} is {@link #ARRAY} for an array element ({@code index}).
     */
    void access(Object object, int fieldId, int index, boolean write, int site) {
        KContext self = k.scheduler.current();
        ObjectState o = touchedBy(object, self);
        if (o == null) {
            return;
        }
        if (o.shared && fieldId >= 0) {
            if (sharedFields.length <= fieldId) {
                sharedFields = java.util.Arrays.copyOf(sharedFields, k.image.fieldCount());
            }
            sharedFields[fieldId] = true;
        }
        if (k.config.sharedMemoryPoints()
                && (o.shared || (fieldId >= 0 && fieldId < sharedFields.length && sharedFields[fieldId]))) {
            self.pending.access(object, fieldId, index, write);
            k.scheduler.yieldPoint(self);
            self.pending.done();
        }
        k.hb.access(self, object, fieldId, index, write, site);
        monitor(self, object, o, fieldId, index, write);
    }

    /**
     * An access a kernel routine makes on the driver's behalf (a list routine changing the links of
     * the list headed by {@code object}): not a scheduling point, since the routine is one step, but
     * an access to the happens-before monitor and the monitors, at the driver line that called it.
     */
    void kernelAccess(Object object, int fieldId, boolean write) {
        KContext self = k.scheduler.current();
        ObjectState o = touchedBy(object, self);
        if (o == null) {
            return;
        }
        int site = k.image.siteOf(k.image.driverFrame(new Throwable().getStackTrace()));
        if (site >= 0) {
            k.hb.access(self, object, fieldId, 0, write, site);
        }
        monitor(self, object, o, fieldId, 0, write);
    }

    /**
     * The state of an object that {@code self}, driver code on its own thread, touches now: shared
     * once a second context touched it. Null when there is nothing to watch (no object, or not the
     * running context's thread).
     */
    private ObjectState touchedBy(Object object, KContext self) {
        if (object == null || self == null || self.worker == null || self.worker.thread != Thread.currentThread()) {
            return null;
        }
        ObjectState o = state(object);
        if (o.first == null) {
            o.first = self;
        } else if (o.first != self) {
            o.shared = true;
        }
        return o;
    }

    /** The object's number in this schedule, in the order objects were first touched or named. */
    private ObjectState state(Object object) {
        ObjectState o = objects.get(object);
        if (o == null) {
            o = new ObjectState(objects.size() + 1);
            objects.put(object, o);
        }
        return o;
    }

    /** An object as options and traces name it: {@code DiskExtension#3}, {@code int[]#7}, {@code KSPIN_LOCK#2}. */
    String objectLabel(Object object) {
        if (object instanceof Class<?> c) {
            return c.getSimpleName();
        }
        // a lambda's class name carries an address that differs from one JVM to the next
        Class<?> c = object.getClass();
        String type = c.isHidden() || c.isSynthetic() ? "lambda" : c.getSimpleName();
        return type + "#" + state(object).id;
    }

    /** A value in options and traces: a number, a string, null, or an object's label. */
    String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String str) {
            return '"' + str + '"';
        }
        if (v instanceof Number || v instanceof Boolean || v instanceof Character) {
            return v.toString();
        }
        return objectLabel(v);
    }

    /** A call's arguments, {@code (KSpinLock#3, 2)}. */
    String arguments(Object[] args) {
        StringBuilder sb = new StringBuilder("(");
        if (args != null) {
            for (int i = 0; i < args.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(value(args[i]));
            }
        }
        return sb.append(')').toString();
    }

    /** A field, static field or array element of an object, in words. */
    String describe(Object object, int fieldId, int index) {
        if (fieldId == ARRAY) {
            return objectLabel(object) + "[" + index + "]";
        }
        String name = k.image.fieldSimpleName(fieldId);
        return object instanceof Class<?> c ? "static " + c.getSimpleName() + "." + name
                : objectLabel(object) + "." + name;
    }

    private void monitor(KContext self, Object object, ObjectState o, int fieldId, int index, boolean write) {
        List<RoutineFrame> frames = self.frames;
        if (frames.isEmpty()) {
            return;
        }
        switch (fieldId < 0 ? DriverImage.FieldKind.DRIVER : k.image.fieldKind(fieldId)) {
            case IRP:
                IoManager.IrpState s = k.io.irps.get((Irp) object);
                if (s != null && s.completed) {
                    k.monitor(IrpUsedAfterCompletion.class).touched(k.image.fieldName(fieldId));
                }
                return;
            case CURRENT_IRP: {
                // the I/O manager's own write: the request that IoStartNextPacket started is the current one
                IoManager.DeviceState ds = k.io.state((dev.dpccheck.wdm.DeviceObject) object);
                if (ds.busy) {
                    checkAfterStartNext(frames, object, ds.operation, fieldId, write);
                }
                return;
            }
            case IO_STATUS:
                if (write) {
                    k.io.statusWritten(object);
                }
                return;
            case ERROR_LOG_ENTRY:
                k.monitor(ErrorLogEntryUnchecked.class).touched(object, k.image.fieldName(fieldId));
                return;
            default:
                break;
        }
        // an array's elements are one location to the monitors: a ring buffer's slots, a table of counters
        Facts f = fieldId < 0 ? arrayFacts(o) : facts(o, fieldId);
        String name = fieldId == LIST ? "the list " + objectLabel(object)
                : fieldId == ARRAY ? object.getClass().getSimpleName().replace("[]", "") + "[" + index + "]"
                : k.image.fieldName(fieldId);
        RoutineFrame isr = null;
        RoutineFrame operation = null;
        for (RoutineFrame r : frames) {
            if (r.role == RoutineFrame.Role.ISR) {
                isr = r;
            }
            if ((r.role == RoutineFrame.Role.START_IO || r.role == RoutineFrame.Role.CONTROL) && r.device != null) {
                operation = r;
            }
        }
        if (fieldId >= 0 && f.writtenForDevice != null) {
            checkAfterStartNext(frames, f.writtenForDevice, f.writtenByOperation, fieldId, write);
        }
        if (write && operation == null) {
            RoutineFrame dpc = dpcFrame(frames);
            if (dpc != null && dpc.startedFromQueue != null) {
                // a DPC that took the next request off its queue starts it itself: its writes are that request's
                operation = dpc;
            }
        }
        if (write && operation != null) {
            Object device = operation.startedFromQueue != null ? operation.startedFromQueue : operation.device;
            f.writtenForDevice = device;
            f.writtenByOperation = k.io.state((dev.dpccheck.wdm.DeviceObject) device).operation;
        }
        if (isr != null) {
            f.isr = isr.interrupt;
            f.isrWrote |= write;
            if (write) {
                // a defect only if a DPC reads it unsynchronized: kept until one does (or the ISR writes it before queuing)
                f.writtenAfterDpcQueued = isr.requestedDpc ? new Throwable().getStackTrace() : null;
            }
            return;
        }
        if (!write && f.writtenAfterDpcQueued != null && dpcFrame(frames) != null
                && (f.isr == null || !protectedFrom(self, f.isr))) {
            k.monitor(IsrRequestDpcNotLast.class).writesWhatTheDpcReads(name, self.currentRoutine(),
                    f.writtenAfterDpcQueued);
            f.writtenAfterDpcQueued = null;
        }
        if (f.isr != null && f.isr.connected && (write || f.isrWrote) && !protectedFrom(self, f.isr)) {
            k.monitor(SharedContextUnsynchronized.class).access(self.currentRoutine(), write, name, f.isrWrote);
        }
    }

    private static boolean protectedFrom(KContext self, InterruptObject isr) {
        return self.heldLocks.contains(isr.lock) || (self.cpu != null && self.cpu.irql >= isr.synchronizeIrql);
    }

    /**
     * StartNextPacketTooEarly, observed: a DPC (or a SynchCritSection it runs) touches a field that
     * the StartIo or AdapterControl of a request of device D wrote last, and that request was
     * started after the DPC's own IoStartNextPacket for D: the DPC let the next request in and
     * then used what it overwrote. Reported at that IoStartNextPacket call.
     */
    private void checkAfterStartNext(List<RoutineFrame> frames, Object device, long operation, int fieldId,
            boolean write) {
        RoutineFrame dpc = dpcFrame(frames);
        RoutineFrame.StartedNext started = dpc != null ? dpc.startedNext.get(device) : null;
        // a DPC that starts the taken request itself writes its context: only what it then reads is checked
        if (started == null || operation <= started.operationsBefore() || (started.fromQueue() && write)) {
            return;
        }
        StackTraceElement access = k.routineSite(k.scheduler.current());
        k.monitor(StartNextPacketTooEarly.class).overwritten(started.routine(), write, k.image.fieldName(fieldId),
                access == null ? 0 : access.getLineNumber(), started.site());
    }

    /** The DPC whose code is running, directly or through a SynchCritSection it runs; null in another routine. */
    private static RoutineFrame dpcFrame(List<RoutineFrame> frames) {
        int i = frames.size() - 1;
        while (i > 0 && frames.get(i).role == RoutineFrame.Role.SYNCH_CRIT_SECTION) {
            i--;
        }
        return i >= 0 && frames.get(i).role.isDpc() ? frames.get(i) : null;
    }

    private static Facts arrayFacts(ObjectState o) {
        if (o.elements == null) {
            o.elements = new Facts();
        }
        return o.elements;
    }

    private Facts facts(ObjectState o, int fieldId) {
        Facts[] all = o.facts;
        if (all == null || all.length <= fieldId) {
            Facts[] grown = new Facts[k.image.fieldCount()];
            if (all != null) {
                System.arraycopy(all, 0, grown, 0, all.length);
            }
            all = grown;
            o.facts = all;
        }
        Facts f = all[fieldId];
        if (f == null) {
            f = new Facts();
            all[fieldId] = f;
        }
        return f;
    }
}
