package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.driver.WdmRoutine;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.List;
import spoon.reflect.code.CtInvocation;

/**
 * A routine of a driver that serializes its devices with a controller object (IoAllocateController)
 * that holds the controller for the request it works on ({@link #initial}): it must free it before
 * it starts the next packet (the next StartIo would wait on a controller still held) and before it
 * returns with the IRP done. Checks ControllerNotFreed.
 */
final class ControllerUse implements PathEngine.Property<ControllerUse.State> {
    /**
     * @param held whether the controller is held
     * @param completed whether the path completed the request that holds it
     * @param currentOnly whether only a completion of the current IRP counts (an IoTimer routine, which
     *     may complete other IRPs of its own)
     */
    record State(boolean held, boolean completed, boolean currentOnly) {
    }

    private final Analysis analysis;

    private ControllerUse(Analysis analysis) {
        this.analysis = analysis;
    }

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return EngineRule.once(analysis, "ControllerUse", () -> new ControllerUse(analysis));
    }

    /**
     * Who holds the controller when it starts: a DPC of a driver that allocates controllers (it
     * runs for the request that holds it); the ControllerControl routine IoAllocateController calls
     * (the controller was just granted to it); an IoTimer routine of such a driver (a watchdog that
     * gives up the request holding the controller): when it never frees the controller itself, only
     * for its completions of the current IRP.
     */
    @Override
    public State initial(DriverModel.Routine routine) {
        boolean held = switch (routine.role()) {
            case DPC_FOR_ISR, CUSTOM_DPC -> analysis.calls("IoAllocateController", routine.body());
            case CONTROL -> routine.registration().getParent() instanceof CtInvocation<?> grant
                    && Wdm.calls(grant, "IoAllocateController");
            case IO_TIMER -> analysis.calls("IoAllocateController", routine.body());
            default -> false;
        };
        // a watchdog that frees the controller itself says it gives up the request holding it; one that
        // does not holds it only for a completion of the current IRP
        boolean currentOnly = routine.role() == Role.IO_TIMER
                && !Wdm.reaches(analysis, routine.body(), true, "IoFreeController");
        return held ? new State(true, false, currentOnly) : null;
    }

    @Override
    public State event(PathEngine<State>.Step step, State s) {
        if (Wdm.calls(step.element(), "IoFreeController")) {
            return new State(false, s.completed, s.currentOnly);
        }
        // an IoTimer routine holds it only for the request it completes, which the exit judges
        if (s.held && !s.currentOnly && Wdm.calls(step.element(), "IoStartNextPacket", "IoStartNextPacketByKey")) {
            step.report("ControllerNotFreed", "'" + Wdm.called(step.element())
                    + "' is called while the controller is still allocated.");
        }
        if (Wdm.calls(step.element(), "IoCompleteRequest")
                && (!s.currentOnly || CurrentIrp.held(analysis, step.routine(), Wdm.arg(step.element(), 0)))) {
            return new State(s.held, true, s.currentOnly);
        }
        return s;
    }

    @Override
    public void exit(PathEngine<State>.Exit exit, State s) {
        // a ControllerControl routine that returns DeallocateObject has the system free the controller
        boolean deallocates = exit.returnStatement() != null && exit.returnStatement().getReturnedExpression() != null
                && WdmRoutine.constant(exit.returnStatement().getReturnedExpression()) instanceof Integer v
                && v == dev.dpccheck.wdm.Wdm.DeallocateObject;
        if (s.held && s.completed && !deallocates) {
            exit.report("ControllerNotFreed", Wdm.routineName(exit.routine())
                    + " completes the IRP and returns without 'IoFreeController'.");
        }
    }
}
