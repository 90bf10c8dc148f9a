package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.IrqlAnalysis;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.Reporter;
import dev.dpccheck.analyzer.spi.Rule;
import spoon.reflect.declaration.CtExecutable;

/** A rule that reports the IRQL analysis' violations of its own id. */
abstract class IrqlRule implements Rule {
    @Override
    public void check(Analysis analysis, Reporter reporter) {
        String id = info().id();
        for (IrqlAnalysis.Violation v : analysis.irql().violations()) {
            if (!v.rule().equals(id)) {
                continue;
            }
            if (v.atEnd() && v.site() instanceof CtExecutable<?> body) {
                reporter.reportAtEnd(body, v.message(), v.witness());
            } else {
                reporter.report(v.site(), v.message(), v.witness());
            }
        }
    }
}
