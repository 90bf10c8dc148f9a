package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "ControllerNotFreed", title = "Controller object not freed", severity = Severity.ERROR,
        summary = "A driver with a ControllerControl routine finishes an operation without IoFreeController, or starts the next packet before IoFreeController.",
        rationale = "A controller object serializes the devices that share it: the next StartIo allocates the"
                + " controller again, so IoFreeController must come before IoStartNextPacket and before the DPC"
                + " returns with the IRP done.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/writing-a-dpcforisr-routine",
        tags = {"dpc", "liveness"}, precision = "high")
public final class ControllerNotFreed extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return ControllerUse.findings(analysis);
    }
}
