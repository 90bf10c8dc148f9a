package dev.dpccheck.kernel;

import java.util.Set;

/**
 * One driver routine the kernel called and that has not returned: its role, the Java stack depth
 * of driver frames it started at, and what it did so far that rule monitors ask about at its exit.
 */
final class RoutineFrame {
    enum Role {
        DRIVER_ENTRY("DriverEntry"), ADD_DEVICE("AddDevice"), DISPATCH("Dispatch"), START_IO("StartIo"),
        DPC_FOR_ISR("DpcForIsr"), CUSTOM_DPC("CustomDpc"), ISR("InterruptService"),
        SYNCH_CRIT_SECTION("SynchCritSection"), IO_TIMER("IoTimer"), COMPLETION("IoCompletion"),
        CANCEL("Cancel"), CONTROL("Control"), LIST_CONTROL("AdapterListControl"), UNLOAD("Unload"),
        CSQ_INSERT_IRP("CsqInsertIrp"), CSQ_REMOVE_IRP("CsqRemoveIrp"), CSQ_PEEK_NEXT_IRP("CsqPeekNextIrp"),
        CSQ_ACQUIRE_LOCK("CsqAcquireLock"), CSQ_RELEASE_LOCK("CsqReleaseLock"),
        CSQ_COMPLETE_CANCELED_IRP("CsqCompleteCanceledIrp");

        final String wdkName;

        Role(String wdkName) {
            this.wdkName = wdkName;
        }

        boolean isDpc() {
            return this == DPC_FOR_ISR || this == CUSTOM_DPC;
        }

        /** A cancel-safe queue's lock routines return holding the lock, or having released it, by contract. */
        boolean changesLocks() {
            return this == CSQ_ACQUIRE_LOCK || this == CSQ_RELEASE_LOCK;
        }

        /**
         * Routines that return at another IRQL by contract: the lock routines of a cancel-safe queue,
         * and a Cancel routine, which releases the cancel spin lock to the IRQL of the IoCancelIrp caller.
         */
        boolean changesIrql() {
            return changesLocks() || this == CANCEL;
        }
    }

    final Role role;
    final int entryIrql;
    final int heldLocksAtEntry;
    /** The number of instrumented driver frames on the stack when the routine was called. */
    final int driverDepth;
    /** In the order it happened, so that reports over several devices come out the same every run. */
    final Set<Object> completedCurrentIrpOf = new java.util.LinkedHashSet<>();
    final Set<Object> startedNextOf = new java.util.LinkedHashSet<>();
    /** While tracing, until the routine's first driver method runs: the IRQL its entry is recorded at. */
    String entryToTrace;
    /** Whether its first driver method ran, which names it. */
    boolean methodRan;
    /** Once its first driver method ran: whether that method had a name of its own (not a lambda's). */
    boolean named;
    /**
     * The routine as violations and traces name it: its driver method ({@code BlkDpcForIsr}) once
     * that ran and has a name of its own, else its role ({@code DpcForIsr}).
     */
    String name;
    /** The IRP the routine was called with, if any. */
    Object irp;
    /** The device object the routine was called for, if any. */
    Object device;
    /** Set when the routine called IoMarkIrpPending for its IRP. */
    boolean markedPending;
    /** Set once the routine called IoRequestDpc (or KeInsertQueueDpc) from an ISR-like frame. */
    boolean requestedDpc;
    /** For an ISR: the interrupt it serves. */
    InterruptObject interrupt;
    /**
     * By device: where the routine's own code first called IoStartNextPacket(ByKey) for it, or,
     * in a driver that keeps its own queue, took the next IRP off that queue; which routine it
     * called; and how many operations (StartIo runs, or requests taken off a driver's queue) the
     * kernel had seen before the call: a request started later is one the call let in.
     */
    final java.util.Map<Object, StartedNext> startedNext = new java.util.LinkedHashMap<>();
    /**
     * The device whose next request this DPC took off the driver's own queue: from then on, what
     * the DPC writes is that request's (the DPC starts it itself, where StartIo would).
     */
    Object startedFromQueue;
    /** The IRP this DPC took off the driver's own queue to start. */
    Object startedIrp;

    /** {@code fromQueue}: the request was taken off the driver's own queue, not started by IoStartNextPacket. */
    record StartedNext(StackTraceElement site, String routine, long operationsBefore, boolean fromQueue) {
    }

    RoutineFrame(Role role, int entryIrql, int heldLocksAtEntry, int driverDepth) {
        this.role = role;
        this.entryIrql = entryIrql;
        this.heldLocksAtEntry = heldLocksAtEntry;
        this.driverDepth = driverDepth;
        this.name = role.wdkName;
    }
}
