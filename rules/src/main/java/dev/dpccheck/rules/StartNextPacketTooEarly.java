package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "StartNextPacketTooEarly", title = "Next packet started too early", severity = Severity.ERROR,
        summary = "A DPC calls IoStartNextPacket(ByKey) before its last use of the per-operation context in the device extension.",
        rationale = "IoStartNextPacket can call StartIo at once, on this or another processor, and StartIo"
                + " rewrites the per-operation context (what StartIo, the routines it starts and the ISR write"
                + " for the current request, including DeviceObject.CurrentIrp). A DPC should finish with that"
                + " context and call IoStartNextPacket just before IoCompleteRequest; device-lifetime state such"
                + " as a remove lock is not per-operation context.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/registering-and-queuing-a-dpcforisr-routine",
        tags = {"dpc", "concurrency"})
public final class StartNextPacketTooEarly extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return DpcQueue.findings(analysis);
    }
}
