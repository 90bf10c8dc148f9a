package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "SpinLockSafe", title = "Queue call under a spin lock", severity = Severity.ERROR,
        summary = "IoStartNextPacket or IoCompleteRequest is called while a spin lock is held.",
        rationale = "IoStartNextPacket may call StartIo and IoCompleteRequest runs completion routines, both of"
                + " which may take the same lock; calling them with a driver spin lock held invites deadlock and"
                + " long hold times.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/writing-a-dpcforisr-routine",
        sdv = "SpinLockSafe",
        tags = {"locking", "correctness"})
public final class SpinLockSafe extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return LockSet.findings(analysis);
    }
}
