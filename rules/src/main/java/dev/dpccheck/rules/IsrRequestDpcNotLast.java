package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "IsrRequestDpcNotLast", title = "ISR works after queuing its DPC", severity = Severity.ERROR,
        summary = "After IoRequestDpc (or KeInsertQueueDpc) the ISR writes state that its DPC reads outside a"
                + " SynchCritSection.",
        rationale = "The DPC can start on another processor as soon as it is queued. Whatever the ISR writes"
                + " after that (the status the DPC reads, for one) races with the DPC, unless the DPC reads it"
                + " only in a SynchCritSection, which waits until the ISR returns; queuing the DPC should be the"
                + " ISR's last act. A DPC that each object of a type carries, initialized with that object as"
                + " its context and reading that type's fields only through the context it is handed, works on its"
                + " own object: a write to a sibling object after it was queued (the input stream's status after the"
                + " output stream's DPC) is not reported. Array elements and objects reached through locals are not"
                + " told apart, and are reported.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/kernel/registering-and-queuing-a-dpcforisr-routine",
        tags = {"isr", "dpc", "concurrency"})
public final class IsrRequestDpcNotLast extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return IsrTail.findings(analysis);
    }
}
