package dev.dpccheck.kernel.verifier;

/** A driver routine that never returns, or a schedule that never ends. */
public final class DriverHang extends Monitor {
    public DriverHang() {
        super("DriverHang", Component.RUN,
                "A driver routine runs without end.",
                "steps per schedule, backward branches between kernel calls, and wall-clock time per schedule");
    }

    public void loops(String routine) {
        report(q(routine) + " loops without returning or calling the kernel.");
    }

    public void steps(long maxSteps, String where) {
        report("The schedule did not finish within " + maxSteps + " steps; " + where + " was running.");
    }

    /** The wall-clock bound passed with driver code running outside the kernel; located in {@code stack}. */
    public void wallClock(String bound, String routine, StackTraceElement[] stack) {
        reportIn(stack, "The schedule did not finish within " + bound + " of wall-clock time"
                + (routine == null ? "." : "; '" + routine + "' was running."));
    }
}
