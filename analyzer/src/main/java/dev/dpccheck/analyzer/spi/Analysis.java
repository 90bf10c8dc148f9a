package dev.dpccheck.analyzer.spi;

import dev.dpccheck.analyzer.cfg.Cfg;
import dev.dpccheck.analyzer.cfg.CfgBuilder;
import dev.dpccheck.analyzer.dataflow.FieldFacts;
import dev.dpccheck.analyzer.dataflow.IrqlAnalysis;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.findings.Notification;
import dev.dpccheck.analyzer.model.SourceModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import spoon.reflect.declaration.CtElement;
import spoon.reflect.declaration.CtExecutable;

/**
 * What the rules see: the source model, the driver model, control-flow graphs, and the engines'
 * results, each computed once on first use.
 */
public final class Analysis {
    /** The most nodes one method's control-flow graph may have before it is skipped. */
    public static final int CFG_BUDGET = 20_000;

    private final SourceModel source;
    private final DriverModel driver;
    /**
     * Per body (by identity), its control-flow graph or, as a string, why it has none. A graph is
     * built outside any lock (building resolves calls, which takes the model's lock): two threads
     * may build the same one, and the first stored is the one every caller gets.
     */
    private final java.util.concurrent.ConcurrentHashMap<Identity, Object> cfgs = new java.util.concurrent.ConcurrentHashMap<>();

    /** A body compared by identity (Spoon's elements compare by structure). */
    private record Identity(CtExecutable<?> body) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity i && i.body == body;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(body);
        }
    }
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.FutureTask<Object>> cache =
            new java.util.concurrent.ConcurrentHashMap<>();

    public Analysis(SourceModel source) {
        this.source = source;
        this.driver = DriverModel.build(source.model());
    }

    public SourceModel source() {
        return source;
    }

    /** Every element of {@code kind} in the analyzed sources, in model order. */
    public <T extends CtElement> List<T> elements(Class<T> kind) {
        // one scan of the model, each kind picked from it once, whichever rules ask
        return dev.dpccheck.analyzer.model.Resolve.elements(source.model(), kind);
    }

    /** The elements of {@code kind} in {@code root} and below it, root first, in scanning order. */
    public static <T extends CtElement> List<T> elementsIn(CtElement root, Class<? super T> kind) {
        return dev.dpccheck.analyzer.model.Resolve.elements(root, kind);
    }

    /** The declaration of a variable reference: a local, a parameter, a field; null when it is not in the sources. */
    public static spoon.reflect.declaration.CtVariable<?> variable(spoon.reflect.reference.CtVariableReference<?> ref) {
        return dev.dpccheck.analyzer.model.Resolve.variable(ref);
    }

    /** The writes of a local after its declaration, in the method or lambda that declares it. */
    public static List<spoon.reflect.code.CtVariableWrite<?>> writesOf(spoon.reflect.code.CtLocalVariable<?> local) {
        List<spoon.reflect.code.CtVariableWrite<?>> out = new ArrayList<>();
        CtExecutable<?> in = local.getParent(CtExecutable.class);
        for (spoon.reflect.code.CtVariableWrite<?> w : elementsIn(in, spoon.reflect.code.CtVariableWrite.class)) {
            if (w.getVariable().getSimpleName().equals(local.getSimpleName()) && variable(w.getVariable()) == local) {
                out.add(w);
            }
        }
        return out;
    }

    /** The declaration of a called or referenced method, or null. */
    public static CtExecutable<?> declaration(spoon.reflect.reference.CtExecutableReference<?> ref) {
        return dev.dpccheck.analyzer.model.Resolve.declaration(ref);
    }

    public DriverModel driver() {
        return driver;
    }

    /** The control-flow graph of a body, or null when it is over budget (a notification says so). */
    public Cfg cfg(CtExecutable<?> body) {
        Identity key = new Identity(body);
        Object built = cfgs.get(key);
        if (built == null) {
            Object mine;
            try {
                mine = CfgBuilder.build(body, CFG_BUDGET);
            } catch (CfgBuilder.BudgetExceeded e) {
                mine = "its control-flow graph needs more than " + CFG_BUDGET + " nodes";
            } catch (StackOverflowError e) {
                mine = "it is nested too deeply for its control-flow graph";
            }
            built = cfgs.putIfAbsent(key, mine);
            built = built == null ? mine : built;
        }
        if (built instanceof Cfg graph) {
            return graph;
        }
        String why = (String) built;
        // every reader of the missing graph may miss findings: each is told
        stoppedShort(body, why);
        return null;
    }

    // ---------------------------------------------------------------- what the engines could not finish

    /** An engine stopped short on {@code body}, in the context (a rule or a shared result) that asked for it. */
    private record Shortfall(String context, CtExecutable<?> body, String why) {
    }

    private final java.util.Set<Shortfall> shortfalls = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** For each context, the shared results it read. */
    private final Map<String, java.util.Set<String>> reads = new java.util.concurrent.ConcurrentHashMap<>();
    private final ThreadLocal<java.util.Deque<String>> context = ThreadLocal.withInitial(java.util.ArrayDeque::new);

    /**
     * Runs {@code rule}'s check: what the engines cannot finish while it runs, or in the results it
     * reads, is put down to it.
     */
    public void checking(String ruleId, Runnable check) {
        within("rule:" + ruleId, () -> {
            check.run();
            return null;
        });
    }

    private <T> T within(String ctx, java.util.function.Supplier<T> compute) {
        context.get().push(ctx);
        try {
            return compute.get();
        } finally {
            context.get().pop();
        }
    }

    private void reading(String shared) {
        String reader = context.get().peek();
        if (reader != null) {
            reads.computeIfAbsent(reader, k -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(shared);
        }
    }

    /**
     * An engine did not finish {@code body} ({@code why}: "its paths exceed the ... budget"); its
     * findings there may be missing, and a notification names it and the rules concerned.
     */
    public void stoppedShort(CtExecutable<?> body, String why) {
        String ctx = context.get().peek();
        shortfalls.add(new Shortfall(ctx == null ? "" : ctx, body, why));
    }

    /** The rule ids whose checks read {@code ctx}, directly or through shared results. */
    private java.util.SortedSet<String> rulesReading(String ctx) {
        java.util.SortedSet<String> rules = new java.util.TreeSet<>();
        for (String reader : reads.keySet()) {
            if (reader.startsWith("rule:") && reaches(reader, ctx, new java.util.HashSet<>())) {
                rules.add(reader.substring("rule:".length()));
            }
        }
        if (ctx.startsWith("rule:")) {
            rules.add(ctx.substring("rule:".length()));
        }
        return rules;
    }

    private boolean reaches(String from, String to, java.util.Set<String> seen) {
        if (from.equals(to)) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        for (String next : reads.getOrDefault(from, java.util.Set.of())) {
            if (reaches(next, to, seen)) {
                return true;
            }
        }
        return false;
    }

    private List<Notification> shortfallNotifications() {
        Map<String, java.util.SortedSet<String>> rulesByBody = new java.util.TreeMap<>();
        Map<String, Shortfall> first = new java.util.HashMap<>();
        for (Shortfall s : shortfalls) {
            String key = DriverModel.positionKey(s.body) + "\u0000" + s.why;
            rulesByBody.computeIfAbsent(key, k -> new java.util.TreeSet<>()).addAll(rulesReading(s.context));
            first.putIfAbsent(key, s);
        }
        List<Notification> out = new ArrayList<>();
        rulesByBody.forEach((key, rules) -> {
            Shortfall s = first.get(key);
            var at = source.locate(s.body);
            List<String> quoted = rules.stream().map(r -> "'" + r + "'").collect(java.util.stream.Collectors.toList());
            String who = quoted.isEmpty() ? "its findings may be missing"
                    : quoted.size() == 1 ? quoted.get(0) + " may have missed findings in it"
                    : String.join(", ", quoted.subList(0, quoted.size() - 1)) + " and " + quoted.get(quoted.size() - 1)
                            + " may have missed findings in it";
            out.add(new Notification(at == null ? null : at.file(), at == null ? 0 : at.line(), "'"
                    + s.body.getSimpleName() + "' was analyzed only in part: " + s.why + "; " + who + "."));
        });
        return out;
    }

    /** The IRQL analysis of every routine and every helper with a declared contract. */
    public IrqlAnalysis irql() {
        return cached("irql", () -> {
            List<CtExecutable<?>> annotated = new ArrayList<>();
            for (CtExecutable<?> e : dev.dpccheck.analyzer.model.Resolve.elements(source.model(), CtExecutable.class)) {
                if (DriverModel.fromSource(e) && IrqlAnalysis.declaredContract(e) != null) {
                    annotated.add(e);
                }
            }
            annotated.sort(java.util.Comparator.comparing(DriverModel::positionKey));
            return IrqlAnalysis.run(driver, annotated, this::cfg, this::stoppedShort);
        });
    }

    /** What the driver's routines do to its fields. */
    public FieldFacts fields() {
        return cached("fields", () -> FieldFacts.of(source.model(), driver));
    }

    /**
     * Whether the driver that {@code where} belongs to calls the WDM routine {@code name}. A driver
     * is the code of one Java package: the analyzed sources may hold several drivers.
     */
    public boolean calls(String name, CtElement where) {
        Map<String, java.util.Set<String>> byDriver = cached("calls", () -> {
            Map<String, java.util.Set<String>> m = new java.util.HashMap<>();
            for (spoon.reflect.code.CtInvocation<?> call : dev.dpccheck.analyzer.model.Resolve.elements(source.model(), spoon.reflect.code.CtInvocation.class)) {
                dev.dpccheck.analyzer.driver.WdmRoutine w = dev.dpccheck.analyzer.driver.WdmRoutine.of(call);
                if (w != null) {
                    m.computeIfAbsent(DriverModel.driverOf(call), k -> new java.util.HashSet<>()).add(w.name);
                }
            }
            return m;
        });
        return byDriver.getOrDefault(DriverModel.driverOf(where), java.util.Set.of()).contains(name);
    }

    /**
     * A value derived from one element of the model, computed once per element (compared by
     * identity) and {@code kind} of question: what rules ask again and again of the same call or
     * field access.
     */
    @SuppressWarnings("unchecked")
    public <T> T memo(String kind, CtElement element, java.util.function.Supplier<T> compute) {
        return (T) dev.dpccheck.analyzer.model.Resolve.memo(element.getFactory(), "rule:" + kind, element, compute::get);
    }

    /**
     * A result that several rules share (e.g. one automaton's findings for several rule ids),
     * computed once even when rules run on several threads: the first caller computes it, the
     * others wait for it.
     */
    @SuppressWarnings("unchecked")
    public <T> T cached(String key, java.util.function.Supplier<T> compute) {
        reading("shared:" + key);
        java.util.concurrent.FutureTask<Object> task = new java.util.concurrent.FutureTask<>(
                () -> within("shared:" + key, compute));
        java.util.concurrent.FutureTask<Object> existing = cache.putIfAbsent(key, task);
        if (existing == null) {
            task.run();
            existing = task;
        }
        return (T) await(existing);
    }

    /** One driver's part of a result shared per driver, and who takes the next part. */
    private record Parts(List<java.util.concurrent.FutureTask<Object>> tasks, AtomicInteger next) {
    }

    private final java.util.concurrent.ConcurrentHashMap<String, Parts> parts = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A result that several rules share, worked out for each driver (a package) on its own from its
     * routines, drivers in name order. The drivers are shared out among the threads that ask: a rule that needs the
     * result while another thread is working it out takes the drivers not yet begun instead of
     * waiting, and then waits for the ones under way.
     */
    @SuppressWarnings("unchecked")
    public <T> List<T> perDriver(String key, java.util.function.BiFunction<String, List<DriverModel.Routine>, T> compute) {
        reading("shared:" + key);
        Parts work = parts.computeIfAbsent(key, k -> {
            List<java.util.concurrent.FutureTask<Object>> tasks = new ArrayList<>();
            for (Map.Entry<String, List<DriverModel.Routine>> d : driver.routinesByDriver().entrySet()) {
                tasks.add(new java.util.concurrent.FutureTask<>(
                        () -> within("shared:" + key, () -> compute.apply(d.getKey(), d.getValue()))));
            }
            return new Parts(List.copyOf(tasks), new AtomicInteger());
        });
        for (int i = work.next().getAndIncrement(); i < work.tasks().size(); i = work.next().getAndIncrement()) {
            work.tasks().get(i).run();
        }
        List<T> out = new ArrayList<>();
        for (java.util.concurrent.FutureTask<Object> t : work.tasks()) {
            out.add((T) await(t));
        }
        return out;
    }

    private static Object await(java.util.concurrent.FutureTask<Object> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** What the engines could not do. */
    public List<Notification> notifications() {
        return shortfallNotifications();
    }
}
