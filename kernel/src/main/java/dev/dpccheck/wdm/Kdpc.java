package dev.dpccheck.wdm;

/**
 * KDPC: a DPC object. Opaque: initialize it with {@link Wdm#KeInitializeDpc} (or let
 * {@link Wdm#IoInitializeDpcRequest} do it for {@code DeviceObject.Dpc}) and queue it with
 * {@link Wdm#KeInsertQueueDpc}.
 */
public final class Kdpc {
    /** Storage the driver allocates; the kernel initializes it with the routine named above. */
    public Kdpc() {
    }
}
