package dev.dpccheck.wdm;

/**
 * KEVENT: an event object. Opaque: initialize it with {@link Wdm#KeInitializeEvent}.
 */
public final class KEvent {
    /** Storage the driver allocates; the kernel initializes it with the routine named above. */
    public KEvent() {
    }
}
