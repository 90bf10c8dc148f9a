package dev.dpccheck.kernel;

import dev.dpccheck.wdm.Irp;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime monitors that watch the driver's field accesses (the instrumented GETFIELD and
 * PUTFIELD of {@link Hooks}). Facts are kept per object and field, by identity:
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
 * <li>an ISR that writes a field after its IoRequestDpc commits IsrRequestDpcNotLast.</li>
 * <li>a field of an IRP touched after its final completion is IrpUsedAfterCompletion.</li>
 * <li>a field of an error log entry touched after IoWriteErrorLogEntry is ErrorLogEntryUnchecked.</li>
 * <li>a write to an IRP's IoStatus.Status tells the I/O manager that the status was set (IoStatusNotSet).</li>
 * </ul>
 * See https://learn.microsoft.com/windows-hardware/drivers/kernel/registering-and-queuing-a-dpcforisr-routine
 */
final class FieldMonitor {
    /** What is known about one field of one object. */
    private static final class Facts {
        boolean operationContext;
        InterruptObject isr;
        boolean isrWrote;
    }

    private final Kernel k;
    private final Map<Object, Facts[]> facts = new IdentityHashMap<>();

    FieldMonitor(Kernel k) {
        this.k = k;
    }

    void access(Object object, int fieldId, boolean write) {
        KContext self = k.scheduler.current();
        if (object == null || self == null || self.worker == null || self.worker.thread != Thread.currentThread()) {
            return;
        }
        List<RoutineFrame> frames = self.frames;
        if (frames.isEmpty()) {
            return;
        }
        switch (k.image.fieldKind(fieldId)) {
            case IRP:
                IoManager.IrpState s = k.io.irps.get((Irp) object);
                if (s != null && s.completed) {
                    k.report("IrpUsedAfterCompletion", "'" + k.image.fieldName(fieldId)
                            + "' is touched after the IRP was completed.", null);
                }
                return;
            case CURRENT_IRP:
                checkAfterStartNext(frames, fieldId, write);
                return;
            case IO_STATUS:
                if (write) {
                    k.io.statusWritten(object);
                }
                return;
            case ERROR_LOG_ENTRY:
                if (k.executive.errorLogWritten(object)) {
                    k.report("ErrorLogEntryUnchecked", "'" + k.image.fieldName(fieldId)
                            + "' is touched after 'IoWriteErrorLogEntry' handed the entry to the system.", null);
                }
                return;
            default:
                break;
        }
        Facts f = facts(object, fieldId);
        RoutineFrame isr = null;
        boolean operation = false;
        for (RoutineFrame r : frames) {
            if (r.role == RoutineFrame.Role.ISR) {
                isr = r;
            }
            if (r.role == RoutineFrame.Role.START_IO || r.role == RoutineFrame.Role.CONTROL) {
                operation = true;
            }
        }
        if (write && (operation || isr != null)) {
            f.operationContext = true;
        }
        if (isr != null) {
            f.isr = isr.interrupt;
            f.isrWrote |= write;
            if (write && isr.requestedDpc) {
                k.report("IsrRequestDpcNotLast", "The ISR writes '" + k.image.fieldName(fieldId)
                        + "' after 'IoRequestDpc'.", null);
            }
            return;
        }
        if (f.isr != null && f.isr.connected && (write || f.isrWrote) && !protectedFrom(self, f.isr)) {
            k.report("SharedContextUnsynchronized", "'" + self.currentRoutine() + "' " + (write ? "writes" : "reads")
                    + " '" + k.image.fieldName(fieldId) + "', which the ISR " + (f.isrWrote ? "writes" : "reads")
                    + ", without holding the interrupt spin lock.", null);
        }
        if (f.operationContext) {
            checkAfterStartNext(frames, fieldId, write);
        }
    }

    private static boolean protectedFrom(KContext self, InterruptObject isr) {
        return self.heldLocks.contains(isr.lock) || (self.cpu != null && self.cpu.irql >= isr.synchronizeIrql);
    }

    /** A DPC (or a SynchCritSection it runs) touches per-operation context after starting the next packet. */
    private void checkAfterStartNext(List<RoutineFrame> frames, int fieldId, boolean write) {
        int i = frames.size() - 1;
        while (i > 0 && frames.get(i).role == RoutineFrame.Role.SYNCH_CRIT_SECTION) {
            i--;
        }
        RoutineFrame dpc = frames.get(i);
        if (!dpc.role.isDpc() || dpc.startedNextSite == null) {
            return;
        }
        StackTraceElement access = k.routineSite(k.scheduler.current());
        k.report("StartNextPacketTooEarly", "'" + dpc.startedNextRoutine + "' is called before the last "
                + (write ? "write" : "read") + " of '" + k.image.fieldName(fieldId) + "'"
                + (access == null ? "" : " at line " + access.getLineNumber())
                + "; the operation it started may overwrite it.", dpc.startedNextSite);
    }

    private Facts facts(Object object, int fieldId) {
        Facts[] all = facts.get(object);
        if (all == null || all.length <= fieldId) {
            Facts[] grown = new Facts[k.image.fieldCount()];
            if (all != null) {
                System.arraycopy(all, 0, grown, 0, all.length);
            }
            all = grown;
            facts.put(object, all);
        }
        Facts f = all[fieldId];
        if (f == null) {
            f = new Facts();
            all[fieldId] = f;
        }
        return f;
    }
}
