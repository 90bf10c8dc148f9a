package dev.dpccheck.analyzer.spi;

import dev.dpccheck.analyzer.cfg.Cfg;
import dev.dpccheck.analyzer.cfg.CfgBuilder;
import dev.dpccheck.analyzer.dataflow.IrqlAnalysis;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.findings.Notification;
import dev.dpccheck.analyzer.model.SourceModel;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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

    /** What the engines could not do. */
    public List<Notification> notifications() {
        return notifications;
    }
}
