package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "DeviceProgrammedOutsideSync", title = "Device programmed outside a SynchCritSection", severity = Severity.ERROR,
        summary = "A DPC or IoTimer routine writes a device register that the ISR reads or writes, or that the driver"
                + " writes in a SynchCritSection elsewhere, outside a SynchCritSection while the device can interrupt.",
        rationale = "The ISR reads and acknowledges the device's registers at DIRQL on any processor; a DPC that"
                + " programs a register the ISR uses must do it in a SynchCritSection so that an interrupt cannot come"
                + " in between. Registers are told apart by base and constant offset; one reached through a parameter"
                + " may be any. Nothing is reported where the interrupt is not connected, where the ISR masked the"
                + " device (a constant it writes before queuing the DPC) and the path has not unmasked it, or where"
                + " a flag keeps the ISR off the device.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/writing-a-dpcforisr-routine",
        tags = {"dpc", "concurrency"})
public final class DeviceProgrammedOutsideSync extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return Protection.findings(analysis);
    }
}
