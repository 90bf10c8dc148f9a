package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.WdmRoutine;
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
import spoon.reflect.declaration.CtExecutable;
import spoon.reflect.declaration.CtMethod;

/**
 * The checks that need no paths, only declarations and registration sites:
 * DpcNotRegistered (IoRequestDpc in a driver that never registers a DpcForIsr with
 * IoInitializeDpcRequest), DpcContextNotResident (a DPC context that comes from paged pool), and
 * RoleTypeNotDeclared (a method registered by reference as a callback without {@code @Role} of
 * that role type).
 */
final class Declarations {
    private Declarations() {
    }

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return analysis.cached("declarations", () -> {
            List<PathEngine.Finding> out = new ArrayList<>();
            for (CtInvocation<?> call : analysis.elements(CtInvocation.class)) {
                String name = Wdm.called(call);
                if (name == null) {
                    continue;
                }
                if (name.equals("IoRequestDpc") && !analysis.calls("IoInitializeDpcRequest", call)) {
                    out.add(new PathEngine.Finding("DpcNotRegistered", call, false, "'IoRequestDpc' is called in a"
                            + " driver that registers no DpcForIsr with 'IoInitializeDpcRequest'.", List.of()));
                }
                int context = name.equals("IoRequestDpc") ? 2 : name.equals("KeInsertQueueDpc") ? 1
                        : name.equals("KeInitializeDpc") ? 2 : -1;
                if (context >= 0) {
                    for (int i = context; i < call.getArguments().size(); i++) {
                        if (paged(call.getArguments().get(i))) {
                            out.add(new PathEngine.Finding("DpcContextNotResident", call, false, "'" + name
                                    + "' is given a context allocated from 'PagedPool'.", List.of()));
                        }
                    }
                }
            }
            for (CtExecutableReferenceExpression<?, ?> ref : analysis.elements(
                    CtExecutableReferenceExpression.class)) {
                Role role = ref.getType() == null ? null : Role.ofType(ref.getType().getTypeErasure().getQualifiedName());
                CtExecutable<?> target = analysis.declaration(ref.getExecutable());
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

    /** Whether an expression is, or is a local initialized with, an allocation from PagedPool. */
    private static boolean paged(CtExpression<?> e) {
        CtExpression<?> value = e;
        if (e instanceof CtVariableRead<?> v && v.getVariable().getDeclaration() instanceof CtLocalVariable<?> l) {
            value = l.getDefaultExpression();
        }
        if (value instanceof spoon.reflect.code.CtTypeAccess<?> || value == null) {
            return false;
        }
        if (value instanceof CtInvocation<?> call && Wdm.calls(call, "ExAllocatePoolWithTag")) {
            Object pool = WdmRoutine.constant(call.getArguments().get(0));
            return pool instanceof Integer p && p == dev.dpccheck.wdm.Wdm.PagedPool;
        }
        return false;
    }
}
