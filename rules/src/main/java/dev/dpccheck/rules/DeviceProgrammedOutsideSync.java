package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "DeviceProgrammedOutsideSync", title = "Device programmed outside a SynchCritSection", severity = Severity.ERROR,
        summary = "A DPC writes device registers or ports to set up the next transfer outside a SynchCritSection.",
        rationale = "The ISR reads and acknowledges the same device registers; a DPC that programs the device"
                + " must do it in a SynchCritSection so that an interrupt cannot come in between.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/writing-a-dpcforisr-routine",
        tags = {"dpc", "concurrency"})
public final class DeviceProgrammedOutsideSync extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return Protection.findings(analysis);
    }
}
