package dev.dpccheck.wdm;

/**
 * KSPIN_LOCK: an executive spin lock. Opaque: initialize it with {@link Wdm#KeInitializeSpinLock}.
 */
public final class KSpinLock {
    /** Storage the driver allocates; the kernel initializes it with the routine named above. */
    public KSpinLock() {
    }
}
