package dev.dpccheck.analyzer.spi;

import dev.dpccheck.analyzer.cfg.Cfg;
import dev.dpccheck.analyzer.cfg.CfgBuilder;
import dev.dpccheck.analyzer.dataflow.FieldFacts;
import dev.dpccheck.analyzer.dataflow.IrqlAnalysis;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.findings.Notification;
import dev.dpccheck.analyzer.model.SourceModel;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import spoon.reflect.declaration.CtElement;
import spoon.reflect.declaration.CtExecutable;
import spoon.reflect.visitor.filter.TypeFilter;

/**
 * What the rules see: the source model, the driver model, control-flow graphs, and the engines'
 * results, each computed once on first use.
 */
public final class Analysis {
    /** The most nodes one method's control-flow graph may have before it is skipped. */
    public static final int CFG_BUDGET = 20_000;

    private final SourceModel source;
    private final DriverModel driver;
    private final Map<CtExecutable<?>, Cfg> cfgs = new IdentityHashMap<>();
    private final List<Notification> notifications = new ArrayList<>();
    private IrqlAnalysis irql;
    private FieldFacts fields;
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.FutureTask<Object>> cache =
            new java.util.concurrent.ConcurrentHashMap<>();

    public Analysis(SourceModel source) {
        this.source = source;
        this.driver = DriverModel.build(source.model());
    }

    public SourceModel source() {
        return source;
    }

    public DriverModel driver() {
        return driver;
    }

    /** The control-flow graph of a body, or null when it is over budget (a notification says so). */
    public synchronized Cfg cfg(CtExecutable<?> body) {
        if (cfgs.containsKey(body)) {
            return cfgs.get(body);
        }
        Cfg g;
        try {
            g = CfgBuilder.build(body, CFG_BUDGET);
        } catch (CfgBuilder.BudgetExceeded e) {
            var at = source.locate(body);
            notifications.add(new Notification(at == null ? null : at.file(), at == null ? 0 : at.line(),
                    "'" + body.getSimpleName() + "' was not analyzed: " + e.getMessage() + "."));
            g = null;
        }
        cfgs.put(body, g);
        return g;
    }

    /** The IRQL analysis of every routine and every helper with a declared contract. */
    public synchronized IrqlAnalysis irql() {
        if (irql == null) {
            List<CtExecutable<?>> annotated = new ArrayList<>();
            for (CtExecutable<?> e : source.model().getElements(new TypeFilter<>(CtExecutable.class))) {
                if (DriverModel.fromSource(e) && IrqlAnalysis.declaredContract(e) != null) {
                    annotated.add(e);
                }
            }
            annotated.sort(java.util.Comparator.comparing(DriverModel::positionKey));
            irql = IrqlAnalysis.run(driver, annotated, this::cfg);
        }
        return irql;
    }

    /** What the driver's routines do to its fields. */
    public synchronized FieldFacts fields() {
        if (fields == null) {
            fields = FieldFacts.of(source.model(), driver);
        }
        return fields;
    }

    /**
     * Whether the driver that {@code where} belongs to calls the WDM routine {@code name}. A driver
     * is the code of one Java package: the analyzed sources may hold several drivers.
     */
    public boolean calls(String name, CtElement where) {
        Map<String, java.util.Set<String>> byDriver = cached("calls", () -> {
            Map<String, java.util.Set<String>> m = new java.util.HashMap<>();
            for (spoon.reflect.code.CtInvocation<?> call : source.model().getElements(
                    new TypeFilter<>(spoon.reflect.code.CtInvocation.class))) {
                dev.dpccheck.analyzer.dataflow.WdmRoutine w = dev.dpccheck.analyzer.dataflow.WdmRoutine.of(call);
                if (w != null) {
                    m.computeIfAbsent(DriverModel.driverOf(call), k -> new java.util.HashSet<>()).add(w.name);
                }
            }
            return m;
        });
        return byDriver.getOrDefault(DriverModel.driverOf(where), java.util.Set.of()).contains(name);
    }

    /**
     * A result that several rules share (e.g. one automaton's findings for several rule ids),
     * computed once even when rules run on several threads: the first caller computes it, the
     * others wait for it.
     */
    @SuppressWarnings("unchecked")
    public <T> T cached(String key, java.util.function.Supplier<T> compute) {
        java.util.concurrent.FutureTask<Object> task = new java.util.concurrent.FutureTask<>(compute::get);
        java.util.concurrent.FutureTask<Object> existing = cache.putIfAbsent(key, task);
        if (existing == null) {
            task.run();
            existing = task;
        }
        try {
            return (T) existing.get();
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
    public synchronized List<Notification> notifications() {
        return notifications;
    }
}
