package dev.dpccheck.rules;

import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.RuleInfo;

@RuleInfo(id = "IrqlTooHigh", title = "Call above its maximum IRQL", severity = Severity.ERROR,
        summary = "A routine is called at an IRQL above the highest one its contract allows.",
        rationale = "Code running at DISPATCH_LEVEL or above cannot wait, touch pageable code or paged pool, or call"
                + " routines that may do either: a DPC, StartIo, an ISR or a SynchCritSection that calls them can"
                + " deadlock or bug-check. The IRQL each routine accepts is on its WDK page and in the annotations"
                + " of dev.dpccheck.wdm; a wait with a timeout (or none) is only allowed at or below APC_LEVEL.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/introduction-to-dpcs",
        sdv = "IrqlExAllocatePool, IrqlKeWaitForMutexObject (and CodeQL IrqlTooHigh)", tags = {"irql", "correctness"})
public final class IrqlTooHigh extends IrqlRule {
}
