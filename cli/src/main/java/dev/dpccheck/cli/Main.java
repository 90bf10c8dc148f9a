package dev.dpccheck.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dpccheck} command. */
@Command(name = "dpccheck", mixinStandardHelpOptions = true, version = "dpccheck " + Main.VERSION,
        description = "Checks drivers written against the simulated WDM API against the DPC, ISR and IRQL rules.",
        subcommands = {AuditCommand.class, SimulateCommand.class, ReplayCommand.class, RulesCommand.class, ExplainCommand.class,
            CommandLine.HelpCommand.class, picocli.AutoComplete.GenerateCompletion.class})
public final class Main implements Runnable {
    /** The version, as --version and SARIF print it. */
    static final String VERSION = dev.dpccheck.kernel.Kernel.VERSION;

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
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> internalError(e, commandLine));
        // picocli hands exceptions to the handler but lets an Error through: a StackOverflowError or an
        // OutOfMemoryError of the tool is an internal error too, not a trace and exit 1
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        cl.setExecutionStrategy(parseResult -> {
            try {
                return run.execute(parseResult);
            } catch (Error e) {
                CommandLine last = parseResult.asCommandLineList().get(parseResult.asCommandLineList().size() - 1);
                return internalError(e, last);
            }
        });
        // shell completion: 'dpccheck generate-completion' prints a bash/zsh script
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return cl;
    }

    /** One sentence on stderr for a failure of the tool itself; the trace only when asked for. */
    private static int internalError(Throwable e, CommandLine commandLine) {
        java.io.PrintWriter err = commandLine.getErr();
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("").strip();
        if (Boolean.getBoolean("dpccheck.verbose") || System.getenv("DPCCHECK_VERBOSE") != null) {
            err.println("dpccheck: internal error: " + e.getClass().getName() + message + ".");
            e.printStackTrace(err);
        } else {
            err.println("dpccheck: internal error: " + e.getClass().getName() + message
                    + " (set DPCCHECK_VERBOSE=1 for the stack trace).");
        }
        err.flush();
        return ExitCode.INTERNAL.code;
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
