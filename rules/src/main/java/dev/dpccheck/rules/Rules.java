package dev.dpccheck.rules;

import dev.dpccheck.analyzer.spi.Rule;
import java.util.List;

/** The rule catalog: every rule, sorted by id. A rule is added here, nowhere else. */
public final class Rules {
    private Rules() {
    }

    /** Every rule, sorted by id. */
    public static List<Rule> all() {
        return List.of(
                new CompleteWithPendingStatus(),
                new ControllerNotFreed(),
                new DeviceProgrammedOutsideSync(),
                new DmaFlushMissing(),
                new DmaResourceLeak(),
                new DoubleCompletion(),
                new DpcContextNotResident(),
                new DpcIrpNotCompleted(),
                new DpcMissingStartNext(),
                new DpcNotRegistered(),
                new ErrorLogEntryUnchecked(),
                new IoStatusNotSet(),
                new IrpUsedAfterCompletion(),
                new IrqlDispatch(),
                new IrqlKeRaiseLower(),
                new IrqlNotRestored(),
                new IrqlTooHigh(),
                new IrqlTooLow(),
                new IsrRequestDpcNotLast(),
                new MarkIrpPending(),
                new PioFlushMissing(),
                new RoleTypeNotDeclared(),
                new SharedContextUnsynchronized(),
                new SpinLock(),
                new SpinLockSafe(),
                new StartIoRecursion(),
                new StartNextPacketTooEarly());
    }
}
