package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "ErrorLogEntryUnchecked", title = "Error log entry unchecked", severity = Severity.ERROR,
        summary = "The result of IoAllocateErrorLogEntry is used without a null check, or the entry is touched after IoWriteErrorLogEntry.",
        rationale = "IoAllocateErrorLogEntry returns null when the log is full or memory is short, and"
                + " IoWriteErrorLogEntry hands the entry to the system, which frees it.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/writing-a-dpcforisr-routine",
        tags = {"correctness"}, precision = "high")
public final class ErrorLogEntryUnchecked extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return ErrorLogEntries.findings(analysis);
    }
}
