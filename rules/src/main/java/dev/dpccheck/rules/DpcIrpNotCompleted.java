package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "DpcIrpNotCompleted", title = "DPC leaves the IRP hanging", severity = Severity.ERROR,
        summary = "A DPC path ends the device's operation and returns without completing the current IRP and without starting a retry or the next partial transfer.",
        rationale = "The DpcForIsr is where a finished operation turns into a completed IRP; a path that flushes"
                + " the transfer or sets the IRP's status and then returns without completing it, and without"
                + " starting more work on the device, leaves the IRP pending for good.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/introduction-to-dpcs",
        tags = {"dpc", "liveness"}, precision = "medium",
        staticOnly = "At run time the hanging IRP shows as IrpNeverCompleted when the run stalls or ends; which DPC"
                + " path left it is a question about paths, which the analyzer answers.")
public final class DpcIrpNotCompleted extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return DpcQueue.findings(analysis);
    }
}
