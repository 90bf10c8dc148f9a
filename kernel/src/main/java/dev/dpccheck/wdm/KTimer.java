package dev.dpccheck.wdm;

/**
 * KTIMER: a timer object. Opaque: initialize it with {@link Wdm#KeInitializeTimer}.
 */
public final class KTimer {
    /** Storage the driver allocates; the kernel initializes it with the routine named above. */
    public KTimer() {
    }
}
