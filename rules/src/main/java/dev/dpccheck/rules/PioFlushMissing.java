package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "PioFlushMissing", title = "PIO read not flushed", severity = Severity.ERROR,
        summary = "A read whose data was stored through the buffer's system address is completed without KeFlushIoBuffers.",
        rationale = "A driver that moves data with programmed I/O into an MDL's system address must call"
                + " KeFlushIoBuffers before completing the read, so that the data is visible through the"
                + " requester's mapping.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/writing-a-dpcforisr-routine",
        tags = {"pio", "correctness"})
public final class PioFlushMissing extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return PioRead.findings(analysis);
    }
}
