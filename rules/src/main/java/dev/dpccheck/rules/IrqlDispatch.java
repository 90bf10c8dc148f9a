package dev.dpccheck.rules;

import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.RuleInfo;

@RuleInfo(id = "IrqlDispatch", title = "Call not at DISPATCH_LEVEL", severity = Severity.ERROR,
        summary = "A routine that must be called at exactly DISPATCH_LEVEL is called at another IRQL.",
        rationale = "IoStartNextPacket, AllocateAdapterChannel, FreeAdapterChannel, FreeMapRegisters,"
                + " IoAllocateController and IoFreeController assume DISPATCH_LEVEL: they run from StartIo, DPCs and"
                + " adapter control routines. Called from passive code without raising, or from an ISR, they break"
                + " the synchronization the I/O manager relies on.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/writing-a-dpcforisr-routine",
        sdv = "IrqlDispatch", tags = {"irql", "correctness"})
public final class IrqlDispatch extends IrqlRule {
}
