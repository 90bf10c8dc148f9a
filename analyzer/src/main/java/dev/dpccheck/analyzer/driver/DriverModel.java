package dev.dpccheck.analyzer.driver;

import dev.dpccheck.wdm.DriverObject;
import dev.dpccheck.wdm.UnicodeString;
import dev.dpccheck.analyzer.model.Resolve;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import spoon.reflect.CtModel;
import spoon.reflect.code.CtAssignment;
import spoon.reflect.code.CtFieldRead;
import spoon.reflect.code.CtTypeAccess;
import spoon.reflect.code.CtExecutableReferenceExpression;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtLambda;
import spoon.reflect.cu.SourcePosition;
import spoon.reflect.declaration.CtAnnotation;
import spoon.reflect.declaration.CtClass;
import spoon.reflect.declaration.CtElement;
import spoon.reflect.declaration.CtExecutable;
import spoon.reflect.declaration.CtMethod;
import spoon.reflect.reference.CtTypeReference;
import spoon.reflect.visitor.filter.TypeFilter;

/**
 * The driver as the rules see it: every routine with its role. A routine is found wherever the
 * code makes it a role: a method reference, a lambda or a class converted to a role-type
 * interface (IoInitializeDpcRequest, IoConnectInterrupt, KeSynchronizeExecution, an assignment to
 * DriverStartIo or MajorFunction[..], and every other registration site alike), a method annotated
 * {@code @Role}, and a method with the signature of DriverEntry.
 */
public final class DriverModel {
    /** One routine: its body (a method or a lambda), its role, and where it was given that role. */
    public record Routine(CtExecutable<?> body, Role role, CtElement registration) {
    }

    private final List<Routine> routines = new ArrayList<>();
    private final Map<CtExecutable<?>, List<Routine>> byBody = new IdentityHashMap<>();

    private DriverModel() {
    }

    /** Finds the routines of every driver in {@code model}. */
    public static DriverModel build(CtModel model) {
        DriverModel d = new DriverModel();
        for (CtExecutableReferenceExpression<?, ?> ref : dev.dpccheck.analyzer.model.Resolve.elements(model, CtExecutableReferenceExpression.class)) {
            Role r = roleOf(ref.getType());
            CtExecutable<?> target = Resolve.declaration(ref.getExecutable());
            if (r != null && fromSource(target)) {
                d.add(target, r, ref);
            }
        }
        for (CtLambda<?> lambda : dev.dpccheck.analyzer.model.Resolve.elements(model, CtLambda.class)) {
            Role r = roleOf(lambda.getType());
            if (r != null) {
                d.add(lambda, r, lambda);
            }
        }
        for (CtClass<?> c : dev.dpccheck.analyzer.model.Resolve.elements(model, CtClass.class)) {
            for (CtTypeReference<?> i : c.getSuperInterfaces()) {
                Role r = roleOf(i);
                if (r != null) {
                    for (CtMethod<?> m : c.getMethodsByName(r.wdkName)) {
                        d.add(m, r, c);
                    }
                }
            }
        }
        for (CtMethod<?> m : dev.dpccheck.analyzer.model.Resolve.elements(model, CtMethod.class)) {
            for (CtAnnotation<?> a : m.getAnnotations()) {
                if (a.getAnnotationType().getQualifiedName().equals(dev.dpccheck.wdm.Role.class.getName())
                        && a.getValue("value") instanceof CtFieldRead<?> literal
                        && literal.getTarget() instanceof CtTypeAccess<?> access) {
                    // a class literal X.class is a read of field 'class' of the type access X
                    Role r = roleOf(access.getAccessedType());
                    if (r != null) {
                        d.add(m, r, a);
                    }
                }
            }
            if (m.getSimpleName().equals("DriverEntry") && m.getParameters().size() == 2
                    && m.getParameters().get(0).getType().getQualifiedName().equals(DriverObject.class.getName())
                    && m.getParameters().get(1).getType().getQualifiedName().equals(UnicodeString.class.getName())) {
                d.add(m, Role.DRIVER_ENTRY, m);
            }
        }
        d.routines.sort(Comparator.comparing((Routine r) -> positionKey(r.body)).thenComparing(r -> r.role));
        d.majorFunctions(model);
        return d;
    }

    /** The IRP major functions each dispatch routine is registered for. */
    private final Map<CtExecutable<?>, java.util.Set<Integer>> majors = new IdentityHashMap<>();
    /** The drivers (packages) with a MajorFunction registration the analysis cannot name. */
    private final java.util.Set<String> unnamedMajors = new java.util.TreeSet<>();

    /**
     * Reads the {@code DriverObject.MajorFunction[..] = routine} assignments: a constant index
     * registers the routine for that function; any other index (the loop that points every
     * function at a pass-through routine) registers it for every function that no later
     * assignment with a constant index takes.
     */
    private void majorFunctions(CtModel model) {
        // by driver (package): its constant-index assignments by function, and its loops
        Map<String, Map<Integer, List<CtAssignment<?, ?>>>> explicit = new java.util.TreeMap<>();
        Map<String, List<CtAssignment<?, ?>>> loops = new java.util.TreeMap<>();
        for (CtAssignment<?, ?> a : dev.dpccheck.analyzer.model.Resolve.elements(model, CtAssignment.class)) {
            if (!(a.getAssigned() instanceof spoon.reflect.code.CtArrayWrite<?> w)
                    || !(w.getTarget() instanceof CtFieldRead<?> f) || !f.getVariable().getSimpleName().equals("MajorFunction")) {
                continue;
            }
            String driver = driverOf(a);
            if (registered(a) == null) {
                unnamedMajors.add(driver);
                continue;
            }
            if (WdmRoutine.constant(w.getIndexExpression()) instanceof Integer code) {
                explicit.computeIfAbsent(driver, k -> new java.util.TreeMap<>())
                        .computeIfAbsent(code, k -> new ArrayList<>()).add(a);
            } else {
                loops.computeIfAbsent(driver, k -> new ArrayList<>()).add(a);
            }
        }
        java.util.Set<String> drivers = new java.util.TreeSet<>(explicit.keySet());
        drivers.addAll(loops.keySet());
        for (String driver : drivers) {
            for (int code = 0; code <= dev.dpccheck.wdm.Wdm.IRP_MJ_MAXIMUM_FUNCTION; code++) {
                List<CtAssignment<?, ?>> ex = explicit.getOrDefault(driver, Map.of()).getOrDefault(code, List.of());
                java.util.Set<CtExecutable<?>> targets = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
                for (CtAssignment<?, ?> a : ex) {
                    targets.add(registered(a));
                }
                for (CtAssignment<?, ?> loop : loops.getOrDefault(driver, List.of())) {
                    // the loop counts unless every constant assignment of this function comes after it
                    boolean overridden = !ex.isEmpty()
                            && ex.stream().allMatch(a -> positionKey(a).compareTo(positionKey(loop)) > 0);
                    if (!overridden) {
                        targets.add(registered(loop));
                    }
                }
                for (CtExecutable<?> t : targets) {
                    majors.computeIfAbsent(t, k -> new java.util.TreeSet<>()).add(code);
                }
            }
        }
    }

    private static CtExecutable<?> registered(CtAssignment<?, ?> a) {
        if (a.getAssignment() instanceof CtExecutableReferenceExpression<?, ?> ref) {
            return Resolve.declaration(ref.getExecutable());
        }
        return a.getAssignment() instanceof CtLambda<?> l ? l : null;
    }

    /**
     * The IRP major functions (IRP_MJ_ codes) the dispatch routine {@code body} is registered for,
     * or null when that is not known: not registered through MajorFunction, or the driver registers
     * something the analysis cannot name.
     */
    public java.util.Set<Integer> majorFunctions(CtExecutable<?> body) {
        return unnamedMajors.contains(driverOf(body)) ? null : majors.get(body);
    }

    private void add(CtExecutable<?> body, Role role, CtElement registration) {
        List<Routine> list = byBody.computeIfAbsent(body, k -> new ArrayList<>());
        for (Routine r : list) {
            if (r.role == role) {
                return;
            }
        }
        Routine r = new Routine(body, role, registration);
        list.add(r);
        routines.add(r);
    }

    private static Role roleOf(CtTypeReference<?> t) {
        return t == null ? null : Role.ofType(t.getTypeErasure().getQualifiedName());
    }

    /** Whether an executable is in the analyzed sources (not a binary or an unresolved one). */
    public static boolean fromSource(CtExecutable<?> e) {
        return e != null && e.getBody() != null && e.getPosition() != null && e.getPosition().isValidPosition();
    }

    /** A sort key that orders elements by file and position. */
    public static String positionKey(CtElement e) {
        SourcePosition p = e.getPosition();
        if (p == null || !p.isValidPosition() || p.getFile() == null) {
            return "~";
        }
        return p.getFile().getPath() + String.format("#%09d", p.getSourceStart());
    }

    /**
     * The bodies {@code root} runs: itself, the driver methods it calls, and (when asked) the
     * SynchCritSections it hands to KeSynchronizeExecution, transitively, in the order found.
     */
    public static List<CtExecutable<?>> reachable(CtExecutable<?> root, boolean throughSynchCritSections) {
        List<CtExecutable<?>> out = new ArrayList<>();
        java.util.Set<CtExecutable<?>> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        java.util.ArrayDeque<CtExecutable<?>> work = new java.util.ArrayDeque<>();
        work.add(root);
        while (!work.isEmpty()) {
            CtExecutable<?> body = work.poll();
            if (!seen.add(body)) {
                continue;
            }
            out.add(body);
            for (spoon.reflect.code.CtInvocation<?> call : dev.dpccheck.analyzer.model.Resolve.elements(body, spoon.reflect.code.CtInvocation.class)) {
                if (call.getParent(CtExecutable.class) != body) {
                    continue;
                }
                if (WdmRoutine.of(call) != null) {
                    if (throughSynchCritSections && call.getExecutable().getSimpleName().equals("KeSynchronizeExecution")
                            && call.getArguments().size() == 3) {
                        CtExecutable<?> t = target(call.getArguments().get(1));
                        if (t != null) {
                            work.add(t);
                        }
                    }
                    continue;
                }
                CtExecutable<?> callee = Resolve.declaration(call.getExecutable());
                if (fromSource(callee)) {
                    work.add(callee);
                }
            }
        }
        return out;
    }

    private final Map<CtExecutable<?>, List<CtExecutable<?>>> reachable = new IdentityHashMap<>();
    private final Map<CtExecutable<?>, List<CtExecutable<?>>> reachableThroughSynch = new IdentityHashMap<>();

    /**
     * {@link #reachable}, remembered per root. Worked out outside any lock (it resolves calls,
     * which takes the model's lock): two threads may work out the same list, and the first stored
     * is the one every caller gets.
     */
    public List<CtExecutable<?>> reachableFrom(CtExecutable<?> root, boolean throughSynchCritSections) {
        Map<CtExecutable<?>, List<CtExecutable<?>>> memo = throughSynchCritSections ? reachableThroughSynch : reachable;
        List<CtExecutable<?>> known;
        synchronized (memo) {
            known = memo.get(root);
        }
        if (known == null) {
            List<CtExecutable<?>> mine = List.copyOf(reachable(root, throughSynchCritSections));
            synchronized (memo) {
                known = memo.putIfAbsent(root, mine);
            }
            known = known == null ? mine : known;
        }
        return known;
    }

    /** Every routine, in source order. */
    public List<Routine> routines() {
        return routines;
    }

    private Map<String, List<Routine>> byDriver;

    /** The routines of each driver (a package), drivers sorted by name, routines in source order. */
    public synchronized Map<String, List<Routine>> routinesByDriver() {
        if (byDriver == null) {
            Map<String, List<Routine>> m = new java.util.TreeMap<>();
            for (Routine r : routines) {
                m.computeIfAbsent(driverOf(r.body()), k -> new ArrayList<>()).add(r);
            }
            m.replaceAll((k, v) -> List.copyOf(v));
            byDriver = java.util.Collections.unmodifiableMap(m);
        }
        return byDriver;
    }

    /** The roles of a method or lambda; empty for a helper. */
    public List<Role> rolesOf(CtExecutable<?> body) {
        List<Role> out = new ArrayList<>();
        for (Routine r : byBody.getOrDefault(body, List.of())) {
            out.add(r.role);
        }
        return out;
    }

    /** Whether the driver that {@code where} belongs to has a routine with the role. */
    public boolean has(Role role, CtElement where) {
        return rolesByDriver().getOrDefault(driverOf(where), java.util.Set.of()).contains(role);
    }

    private Map<String, java.util.Set<Role>> rolesByDriver;

    /** The roles each driver's routines play, by driver, computed once. */
    private synchronized Map<String, java.util.Set<Role>> rolesByDriver() {
        if (rolesByDriver == null) {
            Map<String, java.util.Set<Role>> m = new java.util.HashMap<>();
            for (Routine r : routines) {
                m.computeIfAbsent(driverOf(r.body), d -> java.util.EnumSet.noneOf(Role.class)).add(r.role);
            }
            rolesByDriver = m;
        }
        return rolesByDriver;
    }

    /** The driver an element belongs to: the package of its top-level type. */
    public static String driverOf(CtElement e) {
        spoon.reflect.declaration.CtType<?> t = e instanceof spoon.reflect.declaration.CtType<?> self ? self
                : e.getParent(spoon.reflect.declaration.CtType.class);
        if (t == null) {
            return "";
        }
        spoon.reflect.declaration.CtType<?> type = t;
        // asked for every event of every routine: once per type
        return (String) Resolve.memo(t.getFactory(), "driverOf", t, () -> {
            spoon.reflect.declaration.CtType<?> top = type;
            while (top.getDeclaringType() != null) {
                top = top.getDeclaringType();
            }
            return top.getPackage() == null ? "" : top.getPackage().getQualifiedName();
        });
    }

    /** The method or lambda a method reference or lambda argument stands for. */
    public static CtExecutable<?> target(CtExpression<?> e) {
        if (e instanceof CtLambda<?> l) {
            return l;
        }
        if (e instanceof CtExecutableReferenceExpression<?, ?> r) {
            CtExecutable<?> t = Resolve.declaration(r.getExecutable());
            return DriverModel.fromSource(t) ? t : null;
        }
        return null;
    }
}
