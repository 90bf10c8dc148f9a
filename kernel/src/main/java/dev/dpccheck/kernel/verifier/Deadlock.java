package dev.dpccheck.kernel.verifier;

/** No context can make progress, or no request completes while the system runs on. */
public final class Deadlock extends Monitor {
    public Deadlock() {
        super("Deadlock", Component.RUN,
                "The driver stops making progress: no context can run, or no IRP completes.",
                "progress: no context can run, or no IRP completes for a stretch of virtual time while timers still fire");
    }

    public void noProgress(String waits) {
        reportRun("No context can make progress: " + waits + ".");
    }

    public void noCompletion(long seconds, String waits) {
        reportRun("No IRP completed in " + seconds + " s of virtual time: " + waits + ".");
    }
}
