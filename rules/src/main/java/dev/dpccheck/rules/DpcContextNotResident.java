package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "DpcContextNotResident", title = "DPC context in paged pool", severity = Severity.ERROR,
        summary = "The context given to IoRequestDpc, KeInsertQueueDpc or KeInitializeDpc is allocated from PagedPool.",
        rationale = "A DPC runs at DISPATCH_LEVEL, where touching pageable memory can bug-check; its context must"
                + " be resident (nonpaged pool or the device extension).",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/registering-and-queuing-a-dpcforisr-routine",
        tags = {"dpc", "irql"}, precision = "high")
public final class DpcContextNotResident extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return Declarations.findings(analysis);
    }
}
