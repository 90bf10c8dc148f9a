package dev.dpccheck.cli;

import dev.dpccheck.analyzer.spi.Rule;
import dev.dpccheck.analyzer.spi.RuleInfo;
import dev.dpccheck.rules.RuleDocs;
import dev.dpccheck.rules.Rules;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dpccheck rules}: the rule catalog. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "Lists the rules.")
final class RulesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text, markdown or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case "text":
                for (Rule r : Rules.all()) {
                    RuleInfo i = r.info();
                    out.printf("%-28s %-7s %s%n", i.id(), i.severity().level(), i.summary());
                }
                break;
            case "markdown":
                out.print(RuleDocs.table(Rules.all(), "rules/docs/"));
                break;
            case "json":
                out.print(RuleDocs.json(Rules.all()));
                break;
            default:
                spec.commandLine().getErr().println("dpccheck: --format must be text, markdown or json, not '" + format + "'.");
                return ExitCode.USAGE.code;
        }
        out.flush();
        return ExitCode.OK.code;
    }
}
