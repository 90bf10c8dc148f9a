package dev.dpccheck.kernel.verifier;

/** A DMA mapping outside the buffer the MDL describes. */
public final class InvalidDmaRequest extends Monitor {
    public InvalidDmaRequest() {
        super("InvalidDmaRequest", Component.HAL_DMA,
                "MapTransfer is asked for a range outside the MDL's buffer.",
                "every MapTransfer, against the MDL's buffer");
    }

    public RuntimeException outsideMdl() {
        return bugCheck("'MapTransfer' maps a range outside the MDL's buffer.");
    }
}
