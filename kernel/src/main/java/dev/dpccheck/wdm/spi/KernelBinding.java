package dev.dpccheck.wdm.spi;

/**
 * Binds the threads of a running simulated kernel to its {@link KernelServices}. The kernel binds
 * each thread it runs driver code on; the WDM facade looks the binding up on every call.
 */
public final class KernelBinding {
    private static final ThreadLocal<KernelServices> CURRENT = new ThreadLocal<>();

    private KernelBinding() {
    }

    /** The kernel of the calling thread. */
    public static KernelServices current() {
        KernelServices services = CURRENT.get();
        if (services == null) {
            throw new IllegalStateException("WDM routines run only inside the simulated kernel");
        }
        return services;
    }

    /** Binds the calling thread to a kernel, or unbinds it with null. */
    public static void bind(KernelServices services) {
        if (services == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(services);
        }
    }
}
