package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.FieldFacts;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.TreeSet;
import spoon.reflect.code.CtAssignment;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFieldRead;
import spoon.reflect.code.CtFieldWrite;
import spoon.reflect.code.CtLiteral;
import spoon.reflect.code.CtVariableRead;
import spoon.reflect.declaration.CtElement;
import spoon.reflect.declaration.CtExecutable;
import spoon.reflect.declaration.CtParameter;

/**
 * The device's current IRP: {@code DeviceObject.CurrentIrp}, and the driver's own fields that
 * hold nothing else. A field is one when the driver stores in it only the IRP that StartIo or a
 * control routine was handed (its {@code Irp} parameter, or {@code DeviceObject.CurrentIrp}),
 * directly or in a helper they call, and otherwise only null: {@code ctrl.CurrentIrp = Irp} in the
 * ControllerControl routine of a driver whose controller serves one request at a time.
 */
final class CurrentIrp {
    private CurrentIrp() {
    }

    /** Whether {@code e} reads the device's current IRP. */
    static boolean read(Analysis analysis, CtElement e) {
        if (!(e instanceof CtFieldRead<?> f)) {
            return false;
        }
        if (deviceObjectField(f)) {
            return true;
        }
        return FieldFacts.driverField(f.getVariable()) && fields(analysis).contains(FieldFacts.key(f.getVariable()));
    }

    /**
     * Whether {@code irp}, in code of {@code routine}, is the device's current IRP: read directly,
     * through a local that takes nothing else, or the IRP a DpcForIsr is handed.
     */
    static boolean held(Analysis analysis, DriverModel.Routine routine, CtExpression<?> irp) {
        if (readOrLocal(analysis, irp)) {
            return true;
        }
        return irp instanceof CtVariableRead<?> v
                && dev.dpccheck.analyzer.spi.Analysis.variable(v.getVariable()) instanceof CtParameter<?> p
                && routine.role() == Role.DPC_FOR_ISR && routine.body().getParameters().indexOf(p) == 2;
    }

    /** Whether {@code irp} reads the current IRP, directly or through a local that takes nothing else. */
    private static boolean readOrLocal(Analysis analysis, CtExpression<?> irp) {
        if (read(analysis, irp)) {
            return true;
        }
        if (irp instanceof CtVariableRead<?> v
                && dev.dpccheck.analyzer.spi.Analysis.variable(v.getVariable()) instanceof spoon.reflect.code.CtLocalVariable<?> l) {
            java.util.List<CtExpression<?>> values = analysis.memo("assignments", l, () -> Constants.assignments(l));
            return values.size() == 1 && read(analysis, values.get(0));
        }
        return false;
    }

    /**
     * Whether every IoRequestDpc of the driver of {@code dpc} passes the device's current IRP: then
     * the DpcForIsr's {@code Irp} parameter is that one object. Null when the driver makes no
     * IoRequestDpc call (the code that queues the DPC is not among the sources).
     */
    static Boolean handedToDpcForIsr(Analysis analysis, CtExecutable<?> dpc) {
        String driver = DriverModel.driverOf(dpc);
        return analysis.cached("isrHandsCurrentIrp:" + driver, () -> {
            Boolean all = null;
            for (spoon.reflect.code.CtInvocation<?> call : Wdm.callsTo(analysis, "IoRequestDpc")) {
                if (driver.equals(DriverModel.driverOf(call))) {
                    all = Boolean.TRUE;
                    if (!readOrLocal(analysis, Wdm.arg(call, 1))) {
                        return Boolean.FALSE;
                    }
                }
            }
            return all;
        });
    }

    private static boolean deviceObjectField(CtFieldRead<?> f) {
        return f.getVariable().getSimpleName().equals("CurrentIrp") && f.getVariable().getDeclaringType() != null
                && f.getVariable().getDeclaringType().getQualifiedName()
                        .equals(dev.dpccheck.wdm.DeviceObject.class.getName());
    }

    /** The driver's fields that hold the current IRP, by key; computed once. */
    static Set<String> fields(Analysis analysis) {
        return analysis.cached("currentIrpFields", () -> {
            Set<CtExecutable<?>> starting = Collections.newSetFromMap(new IdentityHashMap<>());
            for (DriverModel.Routine r : analysis.driver().routines()) {
                if (r.role() == Role.START_IO || r.role() == Role.CONTROL) {
                    starting.addAll(analysis.driver().reachableFrom(r.body(), false));
                }
            }
            Set<String> handed = new TreeSet<>();
            Set<String> other = new TreeSet<>();
            for (CtAssignment<?, ?> a : analysis.elements(CtAssignment.class)) {
                if (!(a.getAssigned() instanceof CtFieldWrite<?> w) || !FieldFacts.driverField(w.getVariable())
                        || w.getType() == null || !w.getType().getSimpleName().equals("Irp")) {
                    continue;
                }
                CtExpression<?> v = a.getAssignment();
                if (v instanceof CtLiteral<?> l && l.getValue() == null) {
                    continue;
                }
                boolean current = (v instanceof CtVariableRead<?> p && dev.dpccheck.analyzer.spi.Analysis.variable(p.getVariable()) instanceof CtParameter<?>
                        || v instanceof CtFieldRead<?> f && deviceObjectField(f))
                        && starting.contains(a.getParent(CtExecutable.class));
                (current ? handed : other).add(FieldFacts.key(w.getVariable()));
            }
            handed.removeAll(other);
            return handed;
        });
    }
}
