package dev.dpccheck.kernel.verifier;

/** A remove lock released more often than acquired. */
public final class RemoveLock extends Monitor {
    public RemoveLock() {
        super("RemoveLock", Component.IO,
                "A remove lock is released while not held, or an acquisition is never released.",
                "every remove lock's count and the acquisitions not yet released: a release of a lock not held, and, when IoReleaseRemoveLockAndWait waits forever or the driver is unloaded, each acquisition no path released");
    }

    public void releasedNotHeld() {
        report("'IoReleaseRemoveLock' releases a remove lock that is not held.");
    }

    /** An acquisition nothing released; {@code waited}: IoReleaseRemoveLockAndWait waits for it. */
    public void neverReleased(String tag, boolean waited, StackTraceElement acquiredAt) {
        reportAt(acquiredAt, "'IoAcquireRemoveLock' acquires the remove lock for '" + tag + "' and no path releases it"
                + (waited ? ": 'IoReleaseRemoveLockAndWait' waits for it forever." : " before the driver is unloaded."));
    }
}
