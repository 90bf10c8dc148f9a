package dev.dpccheck.wdm;

/**
 * IO_CSQ: a cancel-safe IRP queue. Opaque: the driver allocates it and sets it up with
 * {@link Wdm#IoCsqInitialize}, giving the routines that keep the queue (its own list and lock);
 * the system then inserts and removes IRPs through them and handles cancellation itself.
 * See https://learn.microsoft.com/windows-hardware/drivers/kernel/cancel-safe-irp-queues
 */
public final class IoCsq {
    private final Object record;

    /** Storage the driver allocates; the kernel initializes it with the routine named above. */
    public IoCsq() {
        this(null);
    }

    /**
     * The queue of {@code record} (a device extension), which the queue's routines find again
     * with {@link Wdm#CONTAINING_RECORD}.
     */
    public IoCsq(Object record) {
        this.record = record;
    }

    /** The record that carries this queue, or null. */
    Object record() {
        return record;
    }
}
