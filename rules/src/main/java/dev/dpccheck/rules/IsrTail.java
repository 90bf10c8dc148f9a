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
 * What an ISR does after it queues its DPC. Queuing further DPCs belongs to that last step; any
 * other WDM call or a write to the driver's fields after it is IsrRequestDpcNotLast.
 */
final class IsrTail implements PathEngine.Property<Boolean> {
    private static final String[] QUEUE = {"IoRequestDpc", "KeInsertQueueDpc"};

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return EngineRule.once(analysis, "IsrTail", new IsrTail());
    }

    @Override
    public Boolean initial(DriverModel.Routine routine) {
        return routine.role() == Role.ISR ? Boolean.FALSE : null;
    }

    @Override
    public Boolean event(PathEngine<Boolean>.Step step, Boolean requested) {
        CtElement e = step.element();
        if (Wdm.calls(e, QUEUE)) {
            return Boolean.TRUE;
        }
        if (!requested) {
            return requested;
        }
        String called = Wdm.called(e);
        if (called != null) {
            step.report("IsrRequestDpcNotLast", "The ISR calls '" + called + "' after it queued its DPC.");
        } else if (e instanceof CtFieldWrite<?> w && FieldFacts.driverField(w.getVariable())) {
            step.report("IsrRequestDpcNotLast", "The ISR writes '" + FieldFacts.name(w.getVariable())
                    + "' after it queued its DPC.");
        }
        return requested;
    }
}
