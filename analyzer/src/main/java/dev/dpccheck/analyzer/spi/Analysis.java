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
    private final Map<String, Object> cache = new java.util.HashMap<>();

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
    public Cfg cfg(CtExecutable<?> body) {
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
    public IrqlAnalysis irql() {
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
    public FieldFacts fields() {
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
        String pkg = DriverModel.driverOf(where);
        return (Boolean) cached("calls:" + name + "@" + pkg, () -> !source.model().getElements(
                new TypeFilter<spoon.reflect.code.CtInvocation<?>>(spoon.reflect.code.CtInvocation.class) {
                    @Override
                    public boolean matches(spoon.reflect.code.CtInvocation<?> call) {
                        return call.getExecutable().getSimpleName().equals(name)
                                && dev.dpccheck.analyzer.dataflow.WdmRoutine.of(call) != null
                                && DriverModel.driverOf(call).equals(pkg);
                    }
                }).isEmpty());
    }

    /** A result that several rules share (e.g. one automaton's findings for several rule ids), computed once. */
    @SuppressWarnings("unchecked")
    public <T> T cached(String key, java.util.function.Supplier<T> compute) {
        Object v = cache.get(key);
        if (v == null) {
            v = compute.get();
            cache.put(key, v);
        }
        return (T) v;
    }

    /** What the engines could not do. */
    public List<Notification> notifications() {
        return notifications;
    }
}
