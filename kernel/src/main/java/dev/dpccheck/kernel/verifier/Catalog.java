package dev.dpccheck.kernel.verifier;

import java.util.List;
import java.util.Optional;

/**
 * The runtime verifier's catalog: every monitor, one per rule id, in one list sorted by id. A rule
 * the kernel reports must be here (the kernel reports only through monitors); a static rule
 * without a monitor declares itself static-only, and the rule documentation says which.
 */
public final class Catalog {
    private Catalog() {
    }

    /** A fresh instance of every monitor, sorted by rule id. */
    public static List<Monitor> monitors() {
        return List.of(
                new BadPoolCaller(),
                new CancelRoutineNotCleared(),
                new CompleteWithPendingStatus(),
                new ControllerNotFreed(),
                new DataCorruption(),
                new DataRace(),
                new Deadlock(),
                new DeviceInitializingNotCleared(),
                new DeviceObjectLeak(),
                new DeviceProgrammedOutsideSync(),
                new DeviceProgrammedWhileBusy(),
                new DeviceQueueStalled(),
                new DeviceStartFailed(),
                new DispatchStatusMismatch(),
                new DmaFlushMissing(),
                new DmaResourceLeak(),
                new DoubleCompletion(),
                new DpcCoalescingLoss(),
                new DpcContextNotResident(),
                new DpcMissingStartNext(),
                new DpcNotRegistered(),
                new DriverHang(),
                new DriverLoadFailed(),
                new DriverTerminatedSimulation(),
                new ErrorLogEntryUnchecked(),
                new InterruptNotDisconnected(),
                new InvalidDmaRequest(),
                new InvalidObject(),
                new InvalidRegisterAccess(),
                new IoStatusNotSet(),
                new IrpNeverCompleted(),
                new IrpUsedAfterCompletion(),
                new IrqlDispatch(),
                new IrqlKeRaiseLower(),
                new IrqlNotRestored(),
                new IrqlTooHigh(),
                new IrqlTooLow(),
                new IsrRequestDpcNotLast(),
                new ListEntryCorrupt(),
                new MarkIrpPending(),
                new NoMoreIrpStackLocations(),
                new PartialTransferShort(),
                new PioFlushMissing(),
                new RemoveLock(),
                new SharedContextUnsynchronized(),
                new SpinLock(),
                new SpinLockSafe(),
                new StartIoMissing(),
                new StartIoRecursion(),
                new StartNextPacketTooEarly(),
                new UnhandledException());
    }

    /** The monitor of a rule id, if the kernel checks that rule at run time. */
    public static Optional<Monitor> find(String id) {
        return monitors().stream().filter(m -> m.id().equals(id)).findFirst();
    }
}
