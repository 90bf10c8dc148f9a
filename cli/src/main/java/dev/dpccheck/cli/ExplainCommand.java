package dev.dpccheck.cli;

import dev.dpccheck.analyzer.spi.Rule;
import dev.dpccheck.rules.RuleDocs;
import dev.dpccheck.rules.Rules;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dpccheck explain ID}: one rule's documentation, or what a runtime-only monitor watches. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Explains one rule, or a check the simulated kernel makes only at run time.")
final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1", paramLabel = "ID", description = "A rule id, e.g. StartNextPacketTooEarly or DataRace.")
    String id;

    @Override
    public Integer call() {
        for (Rule r : Rules.all()) {
            if (r.info().id().equals(id)) {
                spec.commandLine().getOut().print(RuleDocs.text(r));
                spec.commandLine().getOut().flush();
                return ExitCode.OK.code;
            }
        }
        var monitor = dev.dpccheck.kernel.verifier.Catalog.find(id);
        if (monitor.isPresent()) {
            spec.commandLine().getOut().print(RuleDocs.text(monitor.get()));
            spec.commandLine().getOut().flush();
            return ExitCode.OK.code;
        }
        spec.commandLine().getErr().println("dpccheck: there is no rule '" + id + "'; 'dpccheck rules' lists them,"
                + " and rules/docs/README.md the checks made only at run time.");
        return ExitCode.USAGE.code;
    }
}
