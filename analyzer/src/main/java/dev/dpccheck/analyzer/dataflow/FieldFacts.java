package dev.dpccheck.analyzer.dataflow;

import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.driver.WdmRoutine;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import spoon.reflect.CtModel;
import spoon.reflect.code.CtAssignment;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFieldAccess;
import spoon.reflect.code.CtFieldWrite;
import spoon.reflect.code.CtInvocation;
import spoon.reflect.code.CtLocalVariable;
import spoon.reflect.code.CtVariableRead;
import spoon.reflect.declaration.CtElement;
import spoon.reflect.declaration.CtExecutable;
import spoon.reflect.reference.CtFieldReference;
import spoon.reflect.visitor.filter.TypeFilter;

/**
 * What the driver's routines do to the driver's own fields, over the routine and everything it
 * runs (its helpers, and the SynchCritSections it hands to KeSynchronizeExecution):
 * <ul>
 * <li>the fields the ISR reads and writes;</li>
 * <li>per-operation context: the fields written by StartIo, by the routines StartIo starts
 * (AdapterControl and ControllerControl) and by the ISR;</li>
 * <li>the fields that hold a buffer's system address from MmGetSystemAddressForMdlSafe, and the
 * local variables that do.</li>
 * </ul>
 * Fields are keyed by their declaration ({@link #key}), for every object of the type.
 */
public final class FieldFacts {
    /** Whether a field is read and whether it is written. */
    public record Access(boolean read, boolean write) {
        Access merge(Access o) {
            return new Access(read || o.read, write || o.write);
        }
    }

    // asked, never listed: hashed (a field is looked up at every access the engines walk over)
    private final Map<String, Access> isr = new java.util.HashMap<>();
    /** What DPC routines touch outside the SynchCritSections they run. */
    private final Map<String, Access> dpcUnsynchronized = new java.util.HashMap<>();
    private final Set<String> operation = new java.util.HashSet<>();
    private final Set<String> systemAddressFields = new java.util.HashSet<>();
    private final Set<CtLocalVariable<?>> systemAddressLocals = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The driver's methods that return a system address ({@code return MmGetSystemAddressForMdlSafe(...)}, or one held). */
    private final Set<CtExecutable<?>> systemAddressMethods = Collections.newSetFromMap(new IdentityHashMap<>());

    private FieldFacts() {
    }

    public static FieldFacts of(CtModel model, DriverModel driver) {
        FieldFacts f = new FieldFacts();
        for (DriverModel.Routine r : driver.routines()) {
            Map<String, Access> touched = touched(driver.reachableFrom(r.body(), true));
            if (r.role() == Role.ISR) {
                touched.forEach((k, v) -> f.isr.merge(k, v, Access::merge));
            }
            if (r.role().isDpc()) {
                touched(driver.reachableFrom(r.body(), false))
                        .forEach((k, v) -> f.dpcUnsynchronized.merge(k, v, Access::merge));
            }
            if (r.role() == Role.ISR || r.role() == Role.START_IO || r.role() == Role.CONTROL) {
                touched.forEach((k, v) -> {
                    if (v.write) {
                        f.operation.add(k);
                    }
                });
            }
        }
        for (CtInvocation<?> call : dev.dpccheck.analyzer.model.Resolve.elements(model, CtInvocation.class)) {
            if (!call.getExecutable().getSimpleName().equals("MmGetSystemAddressForMdlSafe")
                    || WdmRoutine.of(call) == null) {
                continue;
            }
            f.holder(call);
        }
        // the address travels: a field or a local assigned from a local or a field that holds one holds one too
        List<CtAssignment<?, ?>> assignments = dev.dpccheck.analyzer.model.Resolve.elements(model, CtAssignment.class);
        List<CtLocalVariable<?>> locals = dev.dpccheck.analyzer.model.Resolve.elements(model, CtLocalVariable.class);
        List<spoon.reflect.declaration.CtMethod<?>> methods = dev.dpccheck.analyzer.model.Resolve.elements(model,
                spoon.reflect.declaration.CtMethod.class);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (spoon.reflect.declaration.CtMethod<?> m : methods) {
                if (!f.systemAddressMethods.contains(m) && f.returnsAddress(m)) {
                    changed |= f.systemAddressMethods.add(m);
                }
            }
            for (CtAssignment<?, ?> a : assignments) {
                if (a.getAssigned() instanceof CtFieldWrite<?> w && f.holdsAddress(a.getAssignment())) {
                    changed |= f.systemAddressFields.add(key(w.getVariable()));
                }
            }
            for (CtLocalVariable<?> l : locals) {
                if (!f.systemAddressLocals.contains(l) && f.holdsAddress(l.getDefaultExpression())) {
                    changed |= f.systemAddressLocals.add(l);
                }
            }
        }
        return f;
    }

    /** Whether every return of {@code m}'s own code gives a system address or null, and one gives an address. */
    private boolean returnsAddress(CtExecutable<?> m) {
        boolean any = false;
        for (spoon.reflect.code.CtReturn<?> r : dev.dpccheck.analyzer.model.Resolve.elements(m,
                spoon.reflect.code.CtReturn.class)) {
            if (r.getParent(CtExecutable.class) != m) {
                continue;
            }
            CtExpression<?> v = r.getReturnedExpression();
            if (v instanceof spoon.reflect.code.CtLiteral<?> lit && lit.getValue() == null) {
                continue;
            }
            if (v == null || !holdsAddress(v)) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** Whether an expression reads a local or a field already known to hold a system address, or calls for one. */
    private boolean holdsAddress(CtExpression<?> e) {
        if (e instanceof CtInvocation<?> call) {
            if (call.getExecutable().getSimpleName().equals("MmGetSystemAddressForMdlSafe") && WdmRoutine.of(call) != null) {
                return true;
            }
            CtExecutable<?> callee = dev.dpccheck.analyzer.model.Resolve.declaration(call.getExecutable());
            return callee != null && systemAddressMethods.contains(callee);
        }
        if (e instanceof spoon.reflect.code.CtFieldRead<?> r) {
            return driverField(r.getVariable()) && systemAddressFields.contains(key(r.getVariable()));
        }
        return e instanceof CtVariableRead<?> v && dev.dpccheck.analyzer.model.Resolve.variable(v.getVariable()) instanceof CtLocalVariable<?> l
                && systemAddressLocals.contains(l);
    }

    private void holder(CtExpression<?> value) {
        CtElement p = value.getParent();
        if (p instanceof CtLocalVariable<?> l) {
            systemAddressLocals.add(l);
        } else if (p instanceof CtAssignment<?, ?> a && a.getAssigned() instanceof CtFieldWrite<?> w) {
            systemAddressFields.add(key(w.getVariable()));
        }
    }

    /** The fields the given bodies touch in their own code. */
    public static Map<String, Access> touched(List<CtExecutable<?>> bodies) {
        Map<String, Access> out = new TreeMap<>();
        for (CtExecutable<?> body : bodies) {
            own(body).forEach((k, v) -> out.merge(k, v, Access::merge));
        }
        return out;
    }

    /**
     * The driver fields a call into {@code callee} may write: its own code's writes and those of
     * everything it calls, SynchCritSections included; computed once per callee.
     */
    @SuppressWarnings("unchecked")
    public static Set<String> writtenFrom(CtExecutable<?> callee) {
        return (Set<String>) dev.dpccheck.analyzer.model.Resolve.memo(callee.getFactory(), "writtenFrom", callee, () -> {
            Set<String> out = new TreeSet<>();
            touched(DriverModel.reachable(callee, true)).forEach((k, v) -> {
                if (v.write) {
                    out.add(k);
                }
            });
            return out;
        });
    }

    /** The driver fields {@code callee} and everything it calls (SynchCritSections included) read or write. */
    @SuppressWarnings("unchecked")
    public static Set<String> touchedFrom(CtExecutable<?> callee) {
        return (Set<String>) dev.dpccheck.analyzer.model.Resolve.memo(callee.getFactory(), "touchedFrom", callee,
                () -> new TreeSet<>(touched(DriverModel.reachable(callee, true)).keySet()));
    }

    /** The fields one body touches in its own code, computed once per body. */
    @SuppressWarnings("unchecked")
    private static Map<String, Access> own(CtExecutable<?> body) {
        return (Map<String, Access>) dev.dpccheck.analyzer.model.Resolve.memo(body.getFactory(), "ownFields", body, () -> {
            Map<String, Access> out = new TreeMap<>();
            for (CtFieldAccess<?> a : dev.dpccheck.analyzer.model.Resolve.elements(body, CtFieldAccess.class)) {
                if (enclosing(a) == body && driverField(a.getVariable())) {
                    boolean write = a instanceof CtFieldWrite<?> || elementStore(a);
                    out.merge(key(a.getVariable()), new Access(!(a instanceof CtFieldWrite<?>), write), Access::merge);
                }
            }
            return out;
        });
    }

    /**
     * Whether a field read is the array an element store writes into ({@code ext.Pins[bank] = v},
     * {@code ext.Pins[bank] &= ~mask}): what the field refers to is written.
     */
    public static boolean elementStore(CtFieldAccess<?> a) {
        return a instanceof spoon.reflect.code.CtFieldRead<?> && a.getParent() instanceof spoon.reflect.code.CtArrayWrite<?> w
                && w.getTarget() == a;
    }

    /** The method or lambda whose own code holds {@code e}. */
    private static CtExecutable<?> enclosing(CtElement e) {
        return e.getParent(CtExecutable.class);
    }

    /** Whether a field is declared in the analyzed sources (the driver's own types). */
    public static boolean driverField(CtFieldReference<?> f) {
        // one answer per field, not per reference: resolving a binary field builds its class's shadow
        // (the reference's answer remembered too: the field's key is made canonical only once)
        return (Boolean) dev.dpccheck.analyzer.model.Resolve.memo(f.getFactory(), "driverFieldOf", f,
                () -> dev.dpccheck.analyzer.model.Resolve.memo(f.getFactory(), "driverField", key(f).intern(), () -> {
                    spoon.reflect.declaration.CtField<?> d = dev.dpccheck.analyzer.model.Resolve.declaration(f);
                    return d != null && d.getPosition().isValidPosition();
                }));
    }

    /** A field's key: its declaring type's qualified name and its name. */
    public static String key(CtFieldReference<?> f) {
        return (String) dev.dpccheck.analyzer.model.Resolve.memo(f.getFactory(), "fieldKey", f,
                () -> (f.getDeclaringType() == null ? "?" : f.getDeclaringType().getQualifiedName()) + "." + f.getSimpleName());
    }

    /** A field's name in messages: {@code DiskExtension.BytesDone}. */
    public static String name(CtFieldReference<?> f) {
        return (f.getDeclaringType() == null ? "?" : f.getDeclaringType().getSimpleName()) + "." + f.getSimpleName();
    }

    /** How the ISR accesses a field, or null when it does not. */
    /**
     * How DPC routines touch a field outside a SynchCritSection (a read inside one cannot overlap
     * the ISR, which holds the interrupt spin lock until it returns), or null.
     */
    public Access dpcUnsynchronizedAccess(String field) {
        return dpcUnsynchronized.get(field);
    }

    public Access isrAccess(String field) {
        return isr.get(field);
    }

    /** Whether a field is per-operation context. */
    public boolean operationContext(String field) {
        return operation.contains(field);
    }

    /** Whether a field holds a buffer's system address. */
    public boolean systemAddressField(String field) {
        return systemAddressFields.contains(field);
    }

    /** Whether a local variable holds a buffer's system address. */
    public boolean systemAddressLocal(CtLocalVariable<?> local) {
        return systemAddressLocals.contains(local);
    }
}
