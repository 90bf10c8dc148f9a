package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "DmaResourceLeak", title = "Adapter channel leaked or freed twice", severity = Severity.ERROR,
        summary = "The adapter channel or map registers are not freed once the whole transfer is done, are freed twice, or are used after they were freed; or a scatter/gather list taken from where the ExecutionRoutine kept it is not given back.",
        rationale = "A packet-based DMA driver holds the adapter channel for the whole transfer and frees it"
                + " (FreeAdapterChannel or FreeMapRegisters) once the last partial transfer is done; a channel"
                + " kept past the IRP's completion blocks every later AllocateAdapterChannel. An AdapterControl"
                + " routine that returns DeallocateObjectKeepRegisters has given the channel back already and"
                + " left only the map registers, which FreeMapRegisters frees. A scatter/gather list"
                + " that GetScatterGatherList handed to the ExecutionRoutine holds map registers until"
                + " PutScatterGatherList gives it back.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/writing-a-dpcforisr-routine",
        tags = {"dma", "liveness"})
public final class DmaResourceLeak extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        List<PathEngine.Finding> out = new java.util.ArrayList<>(PacketDma.findings(analysis));
        out.addAll(ScatterGather.findings(analysis));
        return out;
    }
}
