package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.FieldFacts;
import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.List;
import spoon.reflect.code.CtFieldWrite;
import spoon.reflect.declaration.CtElement;

/**
 * What an ISR writes after it queues its DPC: a field that a DPC reads outside a SynchCritSection
 * is IsrRequestDpcNotLast, since the DPC may already run on another processor. Reading the
 * device, queuing more DPCs, and writing what the DPCs read only inside a SynchCritSection (the
 * ISR holds the interrupt spin lock until it returns) are not. The state is the queuing call the
 * ISR made, null before it.
 */
final class IsrTail implements PathEngine.Property<String> {
    private static final String[] QUEUE = {"IoRequestDpc", "KeInsertQueueDpc"};
    private final Analysis analysis;

    private IsrTail(Analysis analysis) {
        this.analysis = analysis;
    }

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return EngineRule.once(analysis, "IsrTail", new IsrTail(analysis));
    }

    @Override
    public String initial(DriverModel.Routine routine) {
        return routine.role() == Role.ISR ? "" : null;
    }

    @Override
    public String event(PathEngine<String>.Step step, String queued) {
        CtElement e = step.element();
        if (Wdm.calls(e, QUEUE)) {
            return queued.isEmpty() ? Wdm.called(e) : queued;
        }
        if (!queued.isEmpty() && e instanceof CtFieldWrite<?> w && FieldFacts.driverField(w.getVariable())) {
            FieldFacts.Access dpc = analysis.fields().dpcUnsynchronizedAccess(FieldFacts.key(w.getVariable()));
            if (dpc != null && dpc.read()) {
                step.report("IsrRequestDpcNotLast", "The ISR writes '" + FieldFacts.name(w.getVariable())
                        + "', which its DPC reads, after '" + queued + "'.");
            }
        }
        return queued;
    }
}
