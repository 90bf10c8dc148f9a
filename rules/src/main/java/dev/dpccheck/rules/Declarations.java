package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.ArrayList;
import java.util.List;
import spoon.reflect.code.CtExecutableReferenceExpression;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtInvocation;
import spoon.reflect.code.CtLocalVariable;
import spoon.reflect.code.CtVariableRead;
import spoon.reflect.declaration.CtAnnotation;
import spoon.reflect.declaration.CtElement;
import spoon.reflect.declaration.CtExecutable;
import spoon.reflect.declaration.CtMethod;

/**
 * The checks that need no paths, only declarations and registration sites:
 * DpcNotRegistered (IoRequestDpc in a driver that never registers a DpcForIsr with
 * IoInitializeDpcRequest, or that registers it only after it connected the interrupt, on some
 * path: the ISR can run in between and queue a DPC object nobody initialized), DpcContextNotResident (a DPC context that comes from paged pool), and
 * RoleTypeNotDeclared (a method registered by reference as a callback without {@code @Role} of
 * that role type).
 */
final class Declarations {
    private Declarations() {
    }

    /**
     * By driver: an IoInitializeDpcRequest call that some path reaches after IoConnectInterrupt
     * connected the interrupt, where the ISR is not kept from queuing its DPC by a flag of its own.
     */
    private static java.util.Map<String, CtElement> lateRegistrations(Analysis analysis) {
        java.util.Map<String, CtElement> late = new java.util.TreeMap<>();
        IsrGuards guards = IsrGuards.of(analysis);
        record Order(boolean connected, java.util.TreeSet<String> holds) {
        }
        PathEngine.run(analysis.driver(), new PathEngine.Property<Order>() {
            @Override
            public Order initial(DriverModel.Routine routine) {
                if (routine.role() == Role.ISR
                        || !Wdm.reaches(analysis, routine.body(), false, "IoConnectInterrupt", "IoConnectInterruptEx")
                        || !Wdm.reaches(analysis, routine.body(), false, "IoInitializeDpcRequest")) {
                    return null;
                }
                // DriverEntry runs first: the driver's static flags still have the values they are declared with
                java.util.TreeSet<String> holds = new java.util.TreeSet<>();
                if (routine.role() == Role.DRIVER_ENTRY) {
                    for (spoon.reflect.declaration.CtField<?> f : analysis.elements(spoon.reflect.declaration.CtField.class)) {
                        if (f.isStatic() && !f.isFinal() && f.getDefaultExpression() == null && f.getType() != null
                                && f.getType().getSimpleName().equals("boolean")
                                && DriverModel.driverOf(f).equals(DriverModel.driverOf(routine.body()))) {
                            holds.add("!" + dev.dpccheck.analyzer.dataflow.FieldFacts.key(f.getReference()));
                        }
                    }
                }
                return new Order(false, holds);
            }

            @Override
            public Order event(PathEngine<Order>.Step step, Order s) {
                if (Wdm.calls(step.element(), "IoConnectInterrupt", "IoConnectInterruptEx")) {
                    return new Order(true, s.holds);
                }
                // the ISR queues no DPC while a flag it tests first says so
                if (s.connected && Wdm.calls(step.element(), "IoInitializeDpcRequest")
                        && !guards.excluded(IsrGuards.dpcRequest(step.routine().body()), s.holds)) {
                    late.putIfAbsent(DriverModel.driverOf(step.routine().body()), step.element());
                }
                if (step.element() instanceof spoon.reflect.code.CtFieldAccess<?> a
                        && dev.dpccheck.analyzer.dataflow.FieldFacts.driverField(a.getVariable())
                        && IsrGuards.written(a) != null) {
                    return new Order(s.connected, IsrGuards.afterAccess(s.holds, a));
                }
                return s;
            }
        }, analysis::cfg, analysis::stoppedShort);
        return late;
    }

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return analysis.cached("declarations", () -> {
            List<PathEngine.Finding> out = new ArrayList<>();
            java.util.Map<String, CtElement> late = lateRegistrations(analysis);
            for (CtInvocation<?> call : analysis.elements(CtInvocation.class)) {
                String name = Wdm.called(call);
                if (name == null) {
                    continue;
                }
                if (name.equals("IoRequestDpc") && !analysis.calls("IoInitializeDpcRequest", call)) {
                    out.add(new PathEngine.Finding("DpcNotRegistered", call, false, "'IoRequestDpc' is called in a"
                            + " driver that registers no DpcForIsr with 'IoInitializeDpcRequest'.", List.of()));
                } else if (name.equals("IoRequestDpc") && late.containsKey(DriverModel.driverOf(call))) {
                    CtElement registration = late.get(DriverModel.driverOf(call));
                    out.add(new PathEngine.Finding("DpcNotRegistered", call, false, "'IoRequestDpc' can run before"
                            + " the DpcForIsr is registered: 'IoInitializeDpcRequest' at line "
                            + registration.getPosition().getLine() + " comes after 'IoConnectInterrupt' connected the"
                            + " interrupt.", List.of(registration, call)));
                }
                int context = name.equals("IoRequestDpc") ? 2 : name.equals("KeInsertQueueDpc") ? 1
                        : name.equals("KeInitializeDpc") ? 2 : -1;
                if (context >= 0) {
                    for (int i = context; i < call.getArguments().size(); i++) {
                        if (paged(analysis, call.getArguments().get(i), 0)) {
                            out.add(new PathEngine.Finding("DpcContextNotResident", call, false, "'" + name
                                    + "' is given a context allocated from 'PagedPool'.", List.of()));
                        }
                    }
                }
            }
            for (CtExecutableReferenceExpression<?, ?> ref : analysis.elements(
                    CtExecutableReferenceExpression.class)) {
                Role role = ref.getType() == null ? null : Role.ofType(ref.getType().getTypeErasure().getQualifiedName());
                CtExecutable<?> target = Analysis.declaration(ref.getExecutable());
                if (role != null && target instanceof CtMethod<?> m && DriverModel.fromSource(m) && !declares(m, role)) {
                    out.add(new PathEngine.Finding("RoleTypeNotDeclared", ref, false, "'" + m.getSimpleName()
                            + "' is registered with the role '" + role.wdkName + "' but not declared with '@Role("
                            + role.roleType.getSimpleName() + ".class)'.", List.of()));
                }
            }
            return out;
        });
    }

    private static boolean declares(CtMethod<?> m, Role role) {
        for (CtAnnotation<?> a : m.getAnnotations()) {
            if (a.getAnnotationType().getQualifiedName().equals(dev.dpccheck.wdm.Role.class.getName())
                    && a.getValue("value").toString().replace(".class", "").endsWith(role.roleType.getSimpleName())) {
                return true;
            }
        }
        return false;
    }

    /** What the driver's fields are assigned anywhere, by field key; read once. */
    private static java.util.Map<String, List<CtExpression<?>>> fieldAssignments(Analysis analysis) {
        return analysis.cached("fieldAssignments", () -> {
            java.util.Map<String, List<CtExpression<?>>> out = new java.util.TreeMap<>();
            for (spoon.reflect.code.CtAssignment<?, ?> a : analysis.elements(spoon.reflect.code.CtAssignment.class)) {
                if (a.getAssigned() instanceof spoon.reflect.code.CtFieldWrite<?> w
                        && dev.dpccheck.analyzer.dataflow.FieldFacts.driverField(w.getVariable())) {
                    out.computeIfAbsent(dev.dpccheck.analyzer.dataflow.FieldFacts.key(w.getVariable()),
                            k -> new ArrayList<>()).add(a.getAssignment());
                }
            }
            return out;
        });
    }

    /**
     * Whether an expression may hold an allocation from PagedPool: the allocation itself, a local
     * any of whose assignments is one, or a field of the driver's that some assignment anywhere
     * stores one in (by the field's declaration, whatever object holds it). The pool type may be a
     * constant, a local holding one, or what a helper of the driver's returns.
     */
    private static boolean paged(Analysis analysis, CtExpression<?> e, int depth) {
        if (e == null || depth > 4 || e instanceof spoon.reflect.code.CtTypeAccess<?>) {
            return false;
        }
        if (e instanceof CtInvocation<?> call && Wdm.calls(call, "ExAllocatePoolWithTag", "ExAllocatePool")) {
            return Long.valueOf(dev.dpccheck.wdm.Wdm.PagedPool).equals(Constants.value(call.getArguments().get(0)));
        }
        if (e instanceof spoon.reflect.code.CtFieldRead<?> f && dev.dpccheck.analyzer.dataflow.FieldFacts.driverField(f.getVariable())) {
            for (CtExpression<?> value : fieldAssignments(analysis).getOrDefault(
                    dev.dpccheck.analyzer.dataflow.FieldFacts.key(f.getVariable()), List.of())) {
                if (paged(analysis, value, depth + 1)) {
                    return true;
                }
            }
            return false;
        }
        if (e instanceof CtVariableRead<?> v && dev.dpccheck.analyzer.spi.Analysis.variable(v.getVariable()) instanceof CtLocalVariable<?> l) {
            for (CtExpression<?> value : Constants.assignments(l)) {
                if (paged(analysis, value, depth + 1)) {
                    return true;
                }
            }
        }
        return false;
    }
}
