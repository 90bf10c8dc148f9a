package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.findings.Severity;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.spi.RuleInfo;
import java.util.List;

@RuleInfo(id = "RoleTypeNotDeclared", title = "Callback without its role type", severity = Severity.WARNING,
        summary = "A method registered as a callback by reference is not declared with @Role of that role type.",
        rationale = "SDV and the reader both learn a callback's contract (its IRQL, what it may call) from the"
                + " role it is declared with; a method registered as a DpcForIsr but not declared as one hides"
                + " that contract.",
        source = "https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-io_dpc_routine",
        sdv = "Role types (_Function_class_)",
        tags = {"declaration"}, precision = "high",
        staticOnly = "A missing declaration is a property of the source; the running driver behaves the same with"
                + " it or without it.")
public final class RoleTypeNotDeclared extends EngineRule {
    @Override
    protected List<PathEngine.Finding> findings(Analysis analysis) {
        return Declarations.findings(analysis);
    }
}
