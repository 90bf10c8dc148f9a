package dev.dpccheck.wdm;

/**
 * IO_REMOVE_LOCK: a remove lock. Opaque: initialize it with {@link Wdm#IoInitializeRemoveLock}.
 */
public final class IoRemoveLock {
    /** Storage the driver allocates; the kernel initializes it with the routine named above. */
    public IoRemoveLock() {
    }
}
