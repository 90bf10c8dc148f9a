package dev.dpccheck.kernel;

/** The state of a spin lock: executive (KSPIN_LOCK), interrupt, or the cancel spin lock. */
final class SpinLockObject {
    final String name;
    KContext owner;
    /** The IRQL the owner ran at before acquiring, when the acquire raised it. */
    int savedIrql;

    SpinLockObject(String name) {
        this.name = name;
    }

    @Override
    public String toString() {
        return name;
    }
}
