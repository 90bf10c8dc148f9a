package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "IrpUsedAfterCompletion", title = "IRP used after completion", severity = Severity.ERROR,
        summary = "The IRP, its IoStatus or its buffers are touched after IoCompleteRequest.",
        rationale = "A completed IRP is no longer the driver's: its IoStatus, its system buffer and its MDL may"
                + " be gone. Buffered data must be copied and the status set before completing; a pointer kept"
                + " only as a tag (IoReleaseRemoveLock) is fine.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/writing-a-dpcforisr-routine",
        tags = {"irp", "correctness"})
public final class IrpUsedAfterCompletion extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return IrpLifecycle.findings(analysis);
    }
}
