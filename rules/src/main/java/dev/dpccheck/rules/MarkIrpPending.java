package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "MarkIrpPending", title = "IoMarkIrpPending and STATUS_PENDING disagree", severity = Severity.ERROR,
        summary = "A dispatch routine marks the IRP pending and returns another status, or returns STATUS_PENDING without marking it.",
        rationale = "The I/O manager relies on the two going together: an IRP returned as STATUS_PENDING must"
                + " carry SL_PENDING_RETURNED, and one marked pending must be returned as STATUS_PENDING, or the"
                + " requester's wait and the completion disagree.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iomarkirppending",
        sdv = "MarkIrpPending, MarkIrpPending2",
        tags = {"irp", "correctness"})
public final class MarkIrpPending extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return MarkPending.findings(analysis);
    }
}
