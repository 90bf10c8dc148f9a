package dev.dpccheck.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dpccheck} command. */
@Command(name = "dpccheck", mixinStandardHelpOptions = true, version = "dpccheck " + Main.VERSION,
        description = "Checks drivers written against the simulated WDM API against the DPC, ISR and IRQL rules.",
        subcommands = {AuditCommand.class, SimulateCommand.class, RulesCommand.class, ExplainCommand.class,
            CommandLine.HelpCommand.class, picocli.AutoComplete.GenerateCompletion.class})
public final class Main implements Runnable {
    /** The version, as --version and SARIF print it. */
    static final String VERSION = "0.1.0";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: try 'dpccheck simulate PATH'.");
    }

    /** Runs the command line and returns the exit code, without exiting. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with its error handling, ready to execute. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("dpccheck: internal error: " + e);
            if (Boolean.getBoolean("dpccheck.verbose") || System.getenv("DPCCHECK_VERBOSE") != null) {
                e.printStackTrace(commandLine.getErr());
            }
            return ExitCode.INTERNAL.code;
        });
        // shell completion: 'dpccheck generate-completion' prints a bash/zsh script
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return cl;
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
