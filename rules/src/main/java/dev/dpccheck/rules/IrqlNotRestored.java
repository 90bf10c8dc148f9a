package dev.dpccheck.rules;

import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.RuleInfo;

@RuleInfo(id = "IrqlNotRestored", title = "Routine returns at another IRQL", severity = Severity.ERROR,
        summary = "A routine returns at a different IRQL than the one it was called at.",
        rationale = "The system calls a routine at a known IRQL and continues at that IRQL after it returns: a DPC"
                + " that returns below DISPATCH_LEVEL, or a dispatch routine that returns raised, leaves the"
                + " processor in a state the caller does not expect.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/managing-hardware-priorities",
        sdv = "IrqlReturn", tags = {"irql", "correctness"})
public final class IrqlNotRestored extends IrqlRule {
}
