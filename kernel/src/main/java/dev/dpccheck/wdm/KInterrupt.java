package dev.dpccheck.wdm;

/**
 * KINTERRUPT: an interrupt object, created by {@link Wdm#IoConnectInterrupt}. Opaque to the
 * driver, which passes it to {@link Wdm#KeSynchronizeExecution} and
 * {@link Wdm#IoDisconnectInterrupt}.
 */
public final class KInterrupt {
    /** Created by the kernel only. */
    public KInterrupt() {
    }
}
