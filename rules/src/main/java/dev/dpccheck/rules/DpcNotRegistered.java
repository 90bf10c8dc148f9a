package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "DpcNotRegistered", title = "DpcForIsr not registered", severity = Severity.ERROR,
        summary = "IoRequestDpc is called in a driver that never registers a DpcForIsr with IoInitializeDpcRequest.",
        rationale = "IoRequestDpc queues the DPC object that IoInitializeDpcRequest initialized in the device"
                + " object; without it there is no routine to run, and the interrupt's work is lost.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/registering-and-queuing-a-dpcforisr-routine",
        tags = {"dpc", "correctness"}, precision = "high")
public final class DpcNotRegistered extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return Declarations.findings(analysis);
    }
}
