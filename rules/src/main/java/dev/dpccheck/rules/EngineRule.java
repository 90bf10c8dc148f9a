package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.Reporter;
import dev.dpccheck.analyzer.spi.Rule;
import java.util.List;
import spoon.reflect.declaration.CtExecutable;

/**
 * A rule that reads one automaton's findings: the automaton runs once per analysis (through
 * {@link Analysis#cached}) for all the rules that share it, and each rule reports its own id.
 */
abstract class EngineRule implements Rule {
    /** The automaton's findings for every rule it checks. */
    protected abstract List<PathEngine.Finding> findings(Analysis analysis);

    @Override
    public final void check(Analysis analysis, Reporter reporter) {
        String id = info().id();
        for (PathEngine.Finding f : findings(analysis)) {
            if (!f.rule().equals(id)) {
                continue;
            }
            if (f.atEnd() && f.site() instanceof CtExecutable<?> body) {
                reporter.reportAtEnd(body, f.message(), f.witness());
            } else {
                reporter.report(f.site(), f.message(), f.witness());
            }
        }
    }

    /**
     * Runs a property over every routine, once per analysis, driver by driver: each driver's
     * routines are walked with a property of its own, from {@code property}.
     */
    static <S> List<PathEngine.Finding> once(Analysis analysis, String name,
            java.util.function.Supplier<PathEngine.Property<S>> property) {
        return PathEngine.merge(analysis.perDriver("automaton:" + name, (driver, routines) -> PathEngine.run(
                analysis.driver(), routines, property.get(), analysis::cfg, analysis::stoppedShort)));
    }
}
