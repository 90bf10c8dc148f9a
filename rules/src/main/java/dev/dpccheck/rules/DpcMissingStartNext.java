package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "DpcMissingStartNext", title = "DPC never starts the next packet", severity = Severity.ERROR,
        summary = "A DPC of a driver with a StartIo routine completes the current IRP on a path with no IoStartNextPacket(ByKey).",
        rationale = "With the system device queue, StartIo is called for the next IRP only when the driver calls"
                + " IoStartNextPacket; a DPC that completes the current IRP without it stalls the queue for"
                + " good.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-io_dpc_routine",
        tags = {"dpc", "liveness"})
public final class DpcMissingStartNext extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return DpcQueue.findings(analysis);
    }
}
