package dev.dpccheck.kernel.verifier;

/** A driver routine ends by throwing (a bug check in a real kernel). */
public final class UnhandledException extends Monitor {
    public UnhandledException() {
        super("UnhandledException", Component.RUN,
                "An exception leaves a driver routine.",
                "exceptions that leave a driver routine");
    }

    public void threw(String routine, String exception, String message, StackTraceElement at) {
        reportAt(at, q(routine) + " threw '" + exception + (message == null ? "" : ": " + message) + "'.");
    }
}
