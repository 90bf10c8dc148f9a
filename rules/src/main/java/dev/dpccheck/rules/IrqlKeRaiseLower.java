package dev.dpccheck.rules;

import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.RuleInfo;

@RuleInfo(id = "IrqlKeRaiseLower", title = "Raise and lower out of order", severity = Severity.ERROR,
        summary = "KeRaiseIrql to a lower level, KeLowerIrql to a higher level or to a value no raise saved,"
                + " or a DPC that lowers below DISPATCH_LEVEL.",
        rationale = "KeRaiseIrql may only raise and KeLowerIrql may only restore the value the matching raise"
                + " saved. A DPC runs at DISPATCH_LEVEL and must not lower the IRQL at all.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/managing-hardware-priorities",
        sdv = "IrqlKeRaiseLower, IrqlKeRaiseLower2", tags = {"irql", "correctness"})
public final class IrqlKeRaiseLower extends IrqlRule {
}
