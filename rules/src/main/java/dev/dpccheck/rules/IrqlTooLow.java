package dev.dpccheck.rules;

import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.RuleInfo;

@RuleInfo(id = "IrqlTooLow", title = "Call below its minimum IRQL", severity = Severity.ERROR,
        summary = "A routine is called at an IRQL below the lowest one its contract allows.",
        rationale = "Some routines assume the caller already runs at a raised IRQL: the ...AtDpcLevel spin lock"
                + " routines need DISPATCH_LEVEL, and IoRequestDpc is meant for an ISR at DIRQL. Called lower,"
                + " they skip the raise that protects the data they touch.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/registering-and-queuing-a-dpcforisr-routine",
        sdv = "CodeQL IrqlTooLow", tags = {"irql", "correctness"})
public final class IrqlTooLow extends IrqlRule {
}
