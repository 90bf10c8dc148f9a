package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.List;

/**
 * StartIo starting the next packet itself, in a driver that never asked for deferred StartIo
 * with IoSetStartIoAttributes(..., TRUE, ...): the next StartIo runs nested inside this one. So
 * does a StartIo that asks for the controller or the adapter when the control routine it names
 * starts the next packet: the system runs that routine inside the allocation call when the
 * controller or adapter is free. Checks StartIoRecursion.
 */
final class StartIoNesting implements PathEngine.Property<Boolean> {
    private final Analysis analysis;

    private StartIoNesting(Analysis analysis) {
        this.analysis = analysis;
    }

    /** Whether the driver of {@code where} sets deferred StartIo anywhere. */
    private boolean deferred(spoon.reflect.declaration.CtElement where) {
        java.util.Set<String> drivers = analysis.cached("deferredStartIo", () -> {
            java.util.Set<String> out = new java.util.HashSet<>();
            for (spoon.reflect.code.CtInvocation<?> call : analysis.elements(
                    spoon.reflect.code.CtInvocation.class)) {
                if (Wdm.calls(call, "IoSetStartIoAttributes")
                        && Boolean.TRUE.equals(dev.dpccheck.analyzer.driver.WdmRoutine.constant(Wdm.arg(call, 1)))) {
                    out.add(DriverModel.driverOf(call));
                }
            }
            return out;
        });
        return drivers.contains(DriverModel.driverOf(where));
    }

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return EngineRule.once(analysis, "StartIoNesting", () -> new StartIoNesting(analysis));
    }

    @Override
    public Boolean initial(DriverModel.Routine routine) {
        return routine.role() == Role.START_IO && !deferred(routine.body()) ? Boolean.FALSE : null;
    }

    @Override
    public Boolean event(PathEngine<Boolean>.Step step, Boolean state) {
        if (Wdm.calls(step.element(), "IoStartNextPacket", "IoStartNextPacketByKey")) {
            step.report("StartIoRecursion", Wdm.routineName(step.routine()) + " calls '" + Wdm.called(step.element())
                    + "' and the driver never sets deferred StartIo with 'IoSetStartIoAttributes'.");
        }
        // the system calls the control routine from inside the allocation when the controller or adapter is free
        if (Wdm.calls(step.element(), "IoAllocateController", "AllocateAdapterChannel")) {
            for (spoon.reflect.code.CtExpression<?> a : ((spoon.reflect.code.CtInvocation<?>) step.element()).getArguments()) {
                spoon.reflect.declaration.CtExecutable<?> control = DriverModel.target(a);
                if (control != null && analysis.driver().rolesOf(control).contains(Role.CONTROL)
                        && Wdm.reaches(analysis, control, false, "IoStartNextPacket", "IoStartNextPacketByKey")) {
                    step.report("StartIoRecursion", Wdm.routineName(step.routine()) + " calls '"
                            + Wdm.called(step.element()) + "', whose control routine '" + control.getSimpleName()
                            + "' may run at once and starts the next packet, and the driver never sets deferred"
                            + " StartIo with 'IoSetStartIoAttributes'.");
                }
            }
        }
        return state;
    }
}
