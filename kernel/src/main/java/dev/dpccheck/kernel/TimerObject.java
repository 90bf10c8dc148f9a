package dev.dpccheck.kernel;

/** The state of a KTIMER, or of a device's IoTimer. */
final class TimerObject {
    final boolean synchronization;
    long dueTime = Long.MAX_VALUE;
    long periodMicros;
    DpcObject dpc;
    boolean signaled;

    TimerObject(boolean synchronization) {
        this.synchronization = synchronization;
    }

    boolean set() {
        return dueTime != Long.MAX_VALUE;
    }
}
