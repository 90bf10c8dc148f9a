package dev.dpccheck.kernel;

import dev.dpccheck.kernel.hw.DmaDisk;
import dev.dpccheck.kernel.hw.SimDevice;
import dev.dpccheck.kernel.hw.Uart;
import java.util.List;

/** The simulated bus: which hardware IDs it can enumerate, and the device model behind each. */
public final class Bus {
    private Bus() {
    }

    /** The hardware IDs of the simulated devices, sorted. */
    public static List<String> hardwareIds() {
        return List.of(DmaDisk.HARDWARE_ID, Uart.HARDWARE_ID);
    }

    static SimDevice create(String hardwareId, int instance) {
        switch (hardwareId.toUpperCase(java.util.Locale.ROOT)) {
            case DmaDisk.HARDWARE_ID:
                return new DmaDisk(instance);
            case Uart.HARDWARE_ID:
                return new Uart(instance);
            default:
                throw new IllegalArgumentException("no simulated device has hardware ID '" + hardwareId + "'");
        }
    }
}
