package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "SpinLock", title = "Spin lock misuse", severity = Severity.ERROR,
        summary = "A spin lock is acquired twice, released when not held, or still held when the routine returns.",
        rationale = "Acquiring a spin lock the processor already holds deadlocks; releasing one that is not held"
                + " corrupts its state; returning with one held leaves the processor at DISPATCH_LEVEL or above"
                + " with other processors spinning.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/spin-locks",
        sdv = "SpinLock, SpinLockDpc",
        tags = {"locking", "correctness"})
public final class SpinLock extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return LockSet.findings(analysis);
    }
}
