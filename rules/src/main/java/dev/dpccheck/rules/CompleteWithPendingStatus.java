package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "CompleteWithPendingStatus", title = "IRP completed with STATUS_PENDING", severity = Severity.ERROR,
        summary = "An IRP is completed with IoStatus.Status set to STATUS_PENDING.",
        rationale = "STATUS_PENDING means that the request is still in progress; an IRP completed with it leaves"
                + " the requester waiting for a completion that already happened.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/completing-irps",
        sdv = "CompleteRequestStatusCheck",
        tags = {"irp", "correctness"})
public final class CompleteWithPendingStatus extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return IrpLifecycle.findings(analysis);
    }
}
