package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "SharedContextUnsynchronized", title = "ISR-shared data touched unsynchronized", severity = Severity.ERROR,
        summary = "A routine other than the ISR touches a field the ISR touches outside a SynchCritSection run by KeSynchronizeExecution (or the interrupt spin lock).",
        rationale = "The ISR can run on any processor at any time while the interrupt is connected. Data it"
                + " shares with other routines must be touched by them only under the interrupt spin lock:"
                + " inside a SynchCritSection, or between KeAcquireInterruptSpinLock and its release. Before the"
                + " interrupt is connected and after it is disconnected nothing races.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/registering-and-queuing-a-dpcforisr-routine",
        tags = {"isr", "concurrency"})
public final class SharedContextUnsynchronized extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return Protection.findings(analysis);
    }
}
