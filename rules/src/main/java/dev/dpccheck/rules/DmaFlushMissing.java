package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "DmaFlushMissing", title = "DMA transfer not flushed", severity = Severity.ERROR,
        summary = "After a DMA transfer, no FlushAdapterBuffers before the IRP is completed, the map registers are freed or the next partial transfer is mapped.",
        rationale = "FlushAdapterBuffers ends every packet-based DMA transfer: it copies data out of bounce"
                + " buffers and flushes caches, so that the bytes a device wrote are the bytes the CPU reads."
                + " Without it, a read can return stale data.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/writing-a-dpcforisr-routine",
        tags = {"dma", "correctness"})
public final class DmaFlushMissing extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return PacketDma.findings(analysis);
    }
}
