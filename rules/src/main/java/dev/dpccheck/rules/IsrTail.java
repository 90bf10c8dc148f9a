package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.FieldFacts;
import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.List;
import java.util.Set;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFieldRead;
import spoon.reflect.code.CtInvocation;
import spoon.reflect.code.CtLocalVariable;
import spoon.reflect.code.CtVariableRead;
import spoon.reflect.declaration.CtExecutable;
import spoon.reflect.code.CtFieldWrite;
import spoon.reflect.declaration.CtElement;

/**
 * What an ISR writes after it queues its DPC: a field that a DPC reads outside a SynchCritSection
 * is IsrRequestDpcNotLast, since the DPC may already run on another processor. Reading the
 * device, queuing more DPCs, and writing what the DPCs read only inside a SynchCritSection (the
 * ISR holds the interrupt spin lock until it returns) are not. Nor is a write to another object
 * of the type that carries a per-object DPC: when every {@code KeInitializeDpc} of a DPC field
 * ({@code stream.ServiceDpc}) passes the object that holds it as the context, and the DPC reads
 * that type's fields only through the context it is handed (never {@code rx.Owner.Tx.Status}), the DPC queued for
 * {@code ext.PcmOut} works on that stream, and a later write to {@code ext.PcmIn.LastStatus} (a
 * sibling path, so another stream) is not read by it. The state is the queuing call the ISR made
 * ("" before it), the objects whose per-object DPCs it queued, and whether it queued any other DPC.
 */
final class IsrTail implements PathEngine.Property<IsrTail.Queued> {
    private static final String[] QUEUE = {"IoRequestDpc", "KeInsertQueueDpc"};
    private final Analysis analysis;

    /**
     * The first queuing call, the per-object DPCs queued (whose objects), whether another was, and
     * the DPC routines queued (by position key; "*" when a queued KDPC's routine is not known).
     */
    record Queued(String call, Set<Owner> perObject, boolean other, Set<String> routines) {
    }

    /**
     * An object with a DPC of its own, at the routine level: one of the type {@code holder} whose
     * DPC field was queued ({@code Ac97Stream ext.PcmOut}), or a device object whose DpcForIsr was
     * requested ({@code ctrl.Master}, {@code device} true).
     */
    record Owner(String holder, String object, boolean device) {
    }

    private IsrTail(Analysis analysis) {
        this.analysis = analysis;
    }

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return EngineRule.once(analysis, "IsrTail", () -> new IsrTail(analysis));
    }

    @Override
    public Queued initial(DriverModel.Routine routine) {
        return routine.role() == Role.ISR ? new Queued("", Set.of(), false, Set.of()) : null;
    }

    @Override
    public Queued event(PathEngine<Queued>.Step step, Queued q) {
        CtElement e = step.element();
        if (Wdm.calls(e, QUEUE)) {
            Owner owner = Wdm.calls(e, "IoRequestDpc") ? deviceOwner(step, Wdm.arg(e, 0))
                    : perObjectOwner(step, Wdm.arg(e, 0));
            Set<Owner> objects = q.perObject;
            if (owner != null) {
                objects = new java.util.HashSet<>(q.perObject);
                objects.add(owner);
            }
            Set<String> routines = new java.util.TreeSet<>(q.routines);
            routines.addAll(queuedRoutines(e));
            return new Queued(q.call.isEmpty() ? Wdm.called(e) : q.call, objects, q.other || owner == null, routines);
        }
        if (!q.perObject.isEmpty() && e instanceof spoon.reflect.code.CtVariableWrite<?> v && !(e instanceof CtFieldWrite<?>)) {
            // an index moved on: the element queued is no longer the one the same text names
            String var = v.getVariable().getSimpleName();
            char direction = IndexMoves.direction(v);
            Set<Owner> objects = new java.util.HashSet<>();
            for (Owner o : q.perObject) {
                objects.add(new Owner(o.holder(), IndexMoves.moved(o.object(), var, direction), o.device()));
            }
            return objects.equals(q.perObject) ? q : new Queued(q.call, objects, q.other, q.routines);
        }
        if (!q.call.isEmpty() && e instanceof CtFieldWrite<?> w && FieldFacts.driverField(w.getVariable())
                && !(!q.other && anotherObject(step, w, q.perObject))) {
            if (readByQueued(q.routines, FieldFacts.key(w.getVariable()))) {
                step.report("IsrRequestDpcNotLast", "The ISR writes '" + FieldFacts.name(w.getVariable())
                        + "', which its DPC reads, after '" + q.call + "'.");
            }
        }
        return q;
    }

    /**
     * The DPC routines a queuing call queues, by position key: for IoRequestDpc, the driver's
     * DpcForIsr routines; for KeInsertQueueDpc, the routines KeInitializeDpc gives that KDPC; "*"
     * when they are not known.
     */
    private Set<String> queuedRoutines(CtElement call) {
        return analysis.memo("queuedRoutines", call, () -> {
            Set<String> out = new java.util.TreeSet<>();
            if (Wdm.calls(call, "IoRequestDpc")) {
                for (DriverModel.Routine r : analysis.driver().routines()) {
                    if (r.role() == Role.DPC_FOR_ISR && DriverModel.driverOf(r.body()).equals(DriverModel.driverOf(call))) {
                        out.add(remember(r.body()));
                    }
                }
            } else {
                String key = Wdm.arg(call, 0) == null ? null : Protection.dpcKey(Wdm.arg(call, 0));
                for (CtInvocation<?> init : key == null ? List.<CtInvocation<?>>of() : Wdm.callsTo(analysis, "KeInitializeDpc")) {
                    CtExecutable<?> routine = Wdm.arg(init, 1) == null ? null : DriverModel.target(Wdm.arg(init, 1));
                    if (key.equals(Wdm.arg(init, 0) == null ? null : Protection.dpcKey(Wdm.arg(init, 0)))) {
                        out.add(routine == null ? "*" : remember(routine));
                    }
                }
            }
            if (out.isEmpty()) {
                out.add("*");
            }
            return out;
        });
    }

    /** The DPC bodies by position key, as {@link #queuedRoutines} names them; one map for the whole analysis. */
    private java.util.Map<String, CtExecutable<?>> dpcBodies() {
        return analysis.cached("isrTailDpcBodies", java.util.concurrent.ConcurrentHashMap::new);
    }

    private String remember(CtExecutable<?> body) {
        String key = DriverModel.positionKey(body);
        dpcBodies().putIfAbsent(key, body);
        return key;
    }

    /** Whether one of the queued DPC routines, or what it calls, reads {@code field} outside a SynchCritSection. */
    private boolean readByQueued(Set<String> routines, String field) {
        if (routines.contains("*")) {
            FieldFacts.Access dpc = analysis.fields().dpcUnsynchronizedAccess(field);
            return dpc != null && dpc.read();
        }
        for (String r : routines) {
            CtExecutable<?> dpc = dpcBodies().get(r);
            // what the DPC touches outside its SynchCritSections, worked out once per DPC, not per write
            FieldFacts.Access a = analysis.memo("unsynchronizedFields", dpc,
                    () -> FieldFacts.touched(analysis.driver().reachableFrom(dpc, false))).get(field);
            if (a != null && a.read()) {
                return true;
            }
        }
        return false;
    }

    /**
     * For a queued DPC that is a field of an object ({@code stream.ServiceDpc}) whose every
     * initialization passes that object as the DPC's context: that object; null otherwise.
     */
    private Owner perObjectOwner(PathEngine<Queued>.Step step, CtExpression<?> dpc) {
        if (!(dpc instanceof CtFieldRead<?> f) || f.getTarget() == null || f.getVariable().getDeclaringType() == null
                || !perObjectDpc(FieldFacts.key(f.getVariable()))) {
            return null;
        }
        String object = objectKey(step, f.getTarget());
        return object == null ? null : new Owner(f.getVariable().getDeclaringType().getQualifiedName(), object, false);
    }

    /** For IoRequestDpc on a device object: that device (each device object has its own DpcForIsr). */
    private static Owner deviceOwner(PathEngine<Queued>.Step step, CtExpression<?> device) {
        String object = device == null ? null : objectKey(step, device);
        return object == null ? null : new Owner(null, object, true);
    }

    /**
     * Whether every DpcForIsr of the driver, with what it calls, reads fields of {@code type} only
     * through its own device's extension, or a variable it was handed.
     */
    private boolean dpcForIsrOwnDevice(String type) {
        return analysis.cached("dpcForIsrOwnDevice:" + type, () -> {
            boolean any = false;
            for (DriverModel.Routine r : analysis.driver().routines()) {
                if (r.role() == Role.DPC_FOR_ISR) {
                    any = true;
                    if (reachesOtherObjects(r.body(), type)) {
                        return false;
                    }
                }
            }
            return any;
        });
    }

    /**
     * The key of the object an expression refers to at the routine level: a local that is only ever
     * given its initial value is that value ({@code Engine a = ext.Audio;} is {@code ext.Audio}).
     */
    private static String objectKey(PathEngine<Queued>.Step step, CtExpression<?> e) {
        CtExpression<?> x = Wdm.initialValue(e, 4);
        if (x instanceof CtFieldRead<?> f && !f.getTypeCasts().isEmpty() && f.getTarget() != null) {
            // (UnitExtension) ctrl.Slave.DeviceExtension: the field's object, whatever it is cast to
            String target = objectKey(step, f.getTarget());
            return target == null ? null : target + "." + f.getVariable().getSimpleName();
        }
        return step.key(x);
    }

    /**
     * Whether every KeInitializeDpc of the DPC field {@code field} (there is one) passes the DPC's
     * holder as its context, and the DPC routines it names, with what they call, read the holder's
     * fields only through that context: a variable, never a path through another field
     * ({@code rx.Owner.Tx.Status} reaches a sibling).
     */
    private boolean perObjectDpc(String field) {
        return analysis.cached("perObjectDpc:" + field, () -> {
            boolean any = false;
            for (CtInvocation<?> init : Wdm.callsTo(analysis, "KeInitializeDpc")) {
                if (!(Wdm.arg(init, 0) instanceof CtFieldRead<?> f)
                        || !FieldFacts.key(f.getVariable()).equals(field)) {
                    continue;
                }
                any = true;
                CtExecutable<?> dpc = DriverModel.target(Wdm.arg(init, 1));
                if (f.getTarget() == null || Wdm.arg(init, 2) == null || dpc == null
                        || !f.getTarget().toString().equals(Wdm.arg(init, 2).toString())
                        || reachesOtherObjects(dpc, f.getVariable().getDeclaringType().getQualifiedName())) {
                    return false;
                }
            }
            return any;
        });
    }

    /** Whether {@code dpc}, or what it calls, reads a field of type {@code holder} through a path other than a variable it was handed. */
    private boolean reachesOtherObjects(CtExecutable<?> dpc, String holder) {
        for (CtExecutable<?> body : analysis.driver().reachableFrom(dpc, true)) {
            for (CtFieldRead<?> r : Analysis.elementsIn(body, CtFieldRead.class)) {
                if (r.getVariable().getDeclaringType() == null
                        || !r.getVariable().getDeclaringType().getQualifiedName().equals(holder)) {
                    continue;
                }
                CtExpression<?> target = r.getTarget();
                if (!(target instanceof CtVariableRead<?> v) || target instanceof CtFieldRead<?>) {
                    return true;
                }
                // a local holds the context only when it is set from a parameter (through a cast), never from a field
                if (Analysis.variable(v.getVariable()) instanceof CtLocalVariable<?> l
                        && !(l.getDefaultExpression() instanceof CtVariableRead<?> p && !(p instanceof CtFieldRead<?>))
                        && !ownExtension(l.getDefaultExpression())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code Device.DeviceExtension} for a parameter {@code Device}: the extension of the device the routine was handed. */
    private static boolean ownExtension(CtExpression<?> e) {
        return e instanceof CtFieldRead<?> f && f.getVariable().getSimpleName().equals("DeviceExtension")
                && f.getTarget() instanceof CtVariableRead<?> d && !(d instanceof CtFieldRead<?>)
                && Analysis.variable(d.getVariable()) instanceof spoon.reflect.declaration.CtParameter<?>;
    }

    /**
     * Whether the write is to an object of a type with a per-object DPC that is none of the objects
     * whose DPCs were queued: its path and each of theirs are siblings ({@code ext.PcmIn} and
     * {@code ext.PcmOut}), fields of one object that lead to different ones.
     */
    private boolean anotherObject(PathEngine<Queued>.Step step, CtFieldWrite<?> w, Set<Owner> queued) {
        if (queued.isEmpty() || w.getTarget() == null || w.getVariable().getDeclaringType() == null) {
            return false;
        }
        String target = objectKey(step, w.getTarget());
        String type = w.getVariable().getDeclaringType().getQualifiedName();
        if (target == null) {
            return false;
        }
        for (Owner q : queued) {
            if (q.device()) {
                // another device's extension ({@code ctrl.Slave.DeviceExtension} after ctrl.Master's DPC)
                String suffix = ".DeviceExtension";
                if (!target.endsWith(suffix) || !siblings(q.object(), target.substring(0, target.length() - suffix.length()))
                        || !dpcForIsrOwnDevice(type)) {
                    return false;
                }
            } else if (!q.holder().equals(type) || !siblings(q.object(), target) && !IndexMoves.otherElement(q.object(), target)) {
                return false;
            }
        }
        return true;
    }

    /** {@code a.x} and {@code a.y} with {@code x} and {@code y} different field names. */
    private static boolean siblings(String a, String b) {
        int i = a.lastIndexOf('.');
        int j = b.lastIndexOf('.');
        return i > 0 && j > 0 && a.substring(0, i).equals(b.substring(0, j))
                && a.substring(i + 1).matches("\\w+") && b.substring(j + 1).matches("\\w+")
                && !a.substring(i + 1).equals(b.substring(j + 1));
    }
}
