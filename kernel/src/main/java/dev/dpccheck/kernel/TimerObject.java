package dev.dpccheck.kernel;

/** The state of a KTIMER, or of a device's IoTimer. */
final class TimerObject {
    final boolean synchronization;
    long dueTime = Long.MAX_VALUE;
    long periodMicros;
    DpcObject dpc;
    boolean signaled;

    /** The timer in options and traces: {@code IoTimer of dmadisk0}, {@code KTIMER #4}. */
    final String identity;

    TimerObject(boolean synchronization, String identity) {
        this.synchronization = synchronization;
        this.identity = identity;
    }

    boolean set() {
        return dueTime != Long.MAX_VALUE;
    }
}
