package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.List;

/**
 * A DPC of a driver that serializes its devices with a controller object (IoAllocateController):
 * the DPC starts holding the controller, and must free it before it starts the next packet (the
 * next StartIo would wait on a controller still held) and before it returns with the IRP done.
 * Checks ControllerNotFreed.
 */
final class ControllerUse implements PathEngine.Property<ControllerUse.State> {
    record State(boolean held, boolean completed) {
    }

    private final Analysis analysis;

    private ControllerUse(Analysis analysis) {
        this.analysis = analysis;
    }

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return EngineRule.once(analysis, "ControllerUse", new ControllerUse(analysis));
    }

    @Override
    public State initial(DriverModel.Routine routine) {
        return routine.role().isDpc() && analysis.calls("IoAllocateController", routine.body())
                ? new State(true, false) : null;
    }

    @Override
    public State event(PathEngine<State>.Step step, State s) {
        if (Wdm.calls(step.element(), "IoFreeController")) {
            return new State(false, s.completed);
        }
        if (s.held && Wdm.calls(step.element(), "IoStartNextPacket", "IoStartNextPacketByKey")) {
            step.report("ControllerNotFreed", "'" + Wdm.called(step.element())
                    + "' is called while the controller is still allocated.");
        }
        if (Wdm.calls(step.element(), "IoCompleteRequest")) {
            return new State(s.held, true);
        }
        return s;
    }

    @Override
    public void exit(PathEngine<State>.Exit exit, State s) {
        if (s.held && s.completed) {
            exit.report("ControllerNotFreed", Wdm.routineName(exit.routine())
                    + " completes the IRP and returns without 'IoFreeController'.");
        }
    }
}
