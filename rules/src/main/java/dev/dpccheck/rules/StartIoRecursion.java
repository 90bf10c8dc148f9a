package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "StartIoRecursion", title = "StartIo starts the next packet itself", severity = Severity.ERROR,
        summary = "StartIo calls IoStartNextPacket in a driver that did not set deferred StartIo with IoSetStartIoAttributes.",
        rationale = "Without deferred StartIo, IoStartNextPacket calls StartIo at once, nested inside the StartIo"
                + " that called it; with many queued IRPs the stack overflows.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iosetstartioattributes",
        sdv = "StartIoRecursion",
        tags = {"startio", "correctness"})
public final class StartIoRecursion extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return StartIoNesting.findings(analysis);
    }
}
