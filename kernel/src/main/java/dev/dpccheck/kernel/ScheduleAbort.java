package dev.dpccheck.kernel;

/**
 * Thrown into driver code to unwind a context when its schedule ends early (a fatal violation, a
 * hang, a deadlock). Not an Exception, so that ordinary driver catch blocks let it pass.
 */
final class ScheduleAbort extends Error {
    ScheduleAbort() {
        super("schedule aborted", null, false, false);
    }
}
