package dev.dpccheck.kernel.verifier;

/**
 * The part of the simulated system a monitor watches, after the WDK's components (and Driver
 * Verifier's grouping of its checks).
 */
public enum Component {
    /** The kernel core: IRQL, DPCs, interrupts and their synchronization, spin locks, dispatcher objects. */
    KE("Ke"),
    /** The I/O manager: device objects, IRPs and their completion, the device queue, remove locks, PnP. */
    IO("Io"),
    /** The HAL's DMA: adapter objects, map registers, adapter channels, scatter/gather lists. */
    HAL_DMA("Hal DMA"),
    /** The HAL's register and port access, and the device it programs. */
    HAL("Hal"),
    /** The memory manager: MDLs, mapped I/O space, paged and nonpaged memory. */
    MM("Mm"),
    /** The executive's pool and interlocked lists. */
    EX("Ex"),
    /** The run-time library: memory copies and lists. */
    RTL("Rtl"),
    /** The simulated device's own checks of the data it moved. */
    DEVICE("device"),
    /** The whole run: load, progress, termination. */
    RUN("run");

    private final String label;

    Component(String label) {
        this.label = label;
    }

    /** The component's name as the documentation prints it. */
    public String label() {
        return label;
    }
}
