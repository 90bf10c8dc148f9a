package dev.dpccheck.kernel;

/** The state of a KEVENT. */
final class EventObject {
    final boolean synchronization;
    boolean signaled;

    EventObject(boolean synchronization, boolean signaled) {
        this.synchronization = synchronization;
        this.signaled = signaled;
    }
}
