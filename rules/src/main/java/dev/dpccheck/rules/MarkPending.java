package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.WdmRoutine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.List;
import spoon.reflect.code.CtReturn;

/**
 * A dispatch routine's IoMarkIrpPending and its return value, on each path. Checks MarkIrpPending.
 */
final class MarkPending implements PathEngine.Property<Boolean> {
    static List<PathEngine.Finding> findings(Analysis analysis) {
        return EngineRule.once(analysis, "MarkPending", MarkPending::new);
    }

    @Override
    public Boolean initial(DriverModel.Routine routine) {
        return routine.role() == Role.DISPATCH ? Boolean.FALSE : null;
    }

    @Override
    public Boolean event(PathEngine<Boolean>.Step step, Boolean marked) {
        if (Wdm.calls(step.element(), "IoMarkIrpPending")) {
            List<?> params = step.routine().body().getParameters();
            String irp = params.size() == 2 ? ((spoon.reflect.declaration.CtParameter<?>) params.get(1)).getSimpleName()
                    : null;
            if (irp == null || irp.equals(step.key(Wdm.arg(step.element(), 0)))) {
                return Boolean.TRUE;
            }
        }
        return marked;
    }

    @Override
    public void exit(PathEngine<Boolean>.Exit exit, Boolean marked) {
        CtReturn<?> r = exit.returnStatement();
        if (r == null || r.getReturnedExpression() == null) {
            return;
        }
        Object value = WdmRoutine.constant(r.getReturnedExpression());
        if (!(value instanceof Integer status)) {
            return;
        }
        boolean pending = status == dev.dpccheck.wdm.Wdm.STATUS_PENDING;
        if (pending && !marked) {
            exit.report("MarkIrpPending", Wdm.routineName(exit.routine())
                    + " returns 'STATUS_PENDING' on a path without 'IoMarkIrpPending'.");
        } else if (!pending && marked) {
            exit.report("MarkIrpPending", Wdm.routineName(exit.routine())
                    + " calls 'IoMarkIrpPending' and returns another status than 'STATUS_PENDING'.");
        }
    }
}
