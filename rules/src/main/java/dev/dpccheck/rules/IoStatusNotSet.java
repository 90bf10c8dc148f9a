package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "IoStatusNotSet", title = "IRP completed without a status", severity = Severity.ERROR,
        summary = "IoCompleteRequest on a path where IoStatus.Status was not set.",
        rationale = "The I/O manager returns IoStatus.Status to the requester; an IRP completed without setting"
                + " it reports whatever the field held.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-io_dpc_routine",
        tags = {"irp", "correctness"})
public final class IoStatusNotSet extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return IrpLifecycle.findings(analysis);
    }
}
