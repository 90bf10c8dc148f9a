package dev.dpccheck.rules;

import dev.dpccheck.analyzer.spi.Rule;
import java.util.List;

/** The rule catalog: every rule, sorted by id. A rule is added here, nowhere else. */
public final class Rules {
    private Rules() {
    }

    /**
     * The rules to run: all, or only those named, minus those disabled.
     *
     * @throws IllegalArgumentException with one sentence when an id names no rule
     */
    public static List<Rule> select(List<String> only, List<String> disabled) {
        List<Rule> all = all();
        java.util.Set<String> known = new java.util.LinkedHashSet<>();
        for (Rule r : all) {
            known.add(r.info().id());
        }
        List<String> named = new java.util.ArrayList<>();
        if (only != null) {
            named.addAll(only);
        }
        if (disabled != null) {
            named.addAll(disabled);
        }
        for (String id : named) {
            if (!known.contains(id)) {
                throw new IllegalArgumentException("there is no rule '" + id + "'; 'dpccheck rules' lists them.");
            }
        }
        List<Rule> out = new java.util.ArrayList<>();
        for (Rule r : all) {
            String id = r.info().id();
            if ((only == null || only.isEmpty() || only.contains(id)) && (disabled == null || !disabled.contains(id))) {
                out.add(r);
            }
        }
        return out;
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
