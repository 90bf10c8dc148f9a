package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "DoubleCompletion", title = "IRP completed twice", severity = Severity.ERROR,
        summary = "'IoCompleteRequest' is called twice on the same IRP.",
        rationale = "Once IoCompleteRequest returns, the IRP belongs to the I/O manager and may already be freed"
                + " or reused; completing it again corrupts whatever now owns that memory.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/completing-irps",
        sdv = "DoubleCompletion",
        tags = {"irp", "correctness"})
public final class DoubleCompletion extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return IrpLifecycle.findings(analysis);
    }
}
