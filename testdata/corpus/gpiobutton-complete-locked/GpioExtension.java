package corpus.gpiobuttoncompletelocked;

import dev.dpccheck.wdm.*;
import java.util.ArrayList;
import java.util.List;

/** Device extension of the GPIO controller / button driver. */
final class GpioExtension {
    static final int TOTAL_BANKS = 4;
    static final int PINS_PER_BANK = 32;

    DeviceObject Self;
    DeviceObject LowerDevice;
    long PhysicalBase;
    int RegisterLength;
    long ControllerBase;
    int Vector;
    int Irql;
    long Affinity;
    KInterrupt Interrupt;

    // shared with the ISR; the configuration arrays are written only under the interrupt lock
    final int[] EdgePins = new int[TOTAL_BANKS];
    final int[] DebouncePins = new int[TOTAL_BANKS];
    final int[] EnabledPins = new int[TOTAL_BANKS];
    final int[] ActivePins = new int[TOTAL_BANKS];

    // waits for a pin change, guarded by WaitLock
    final KSpinLock WaitLock = new KSpinLock();
    final List<PinWait> Waits = new ArrayList<>();

    // debounce: one timer for the controller, the pins it will look at again (under WaitLock)
    final KTimer DebounceTimer = new KTimer();
    final Kdpc DebounceDpc = new Kdpc();
    final int[] DebouncingPins = new int[TOTAL_BANKS];

    /** A pending IOCTL_GPIO_WAIT_FOR_CHANGE. */
    static final class PinWait {
        Irp Irp;
        int Bank;
        int Mask;
    }

    /** Hands pin masks in and out of SynchCritSections. */
    static final class PinRequest {
        GpioExtension Extension;
        int Bank;
        int Mask;
        boolean LevelMode;
        boolean ActiveHigh;
        final int[] Debounce = new int[TOTAL_BANKS];
        final int[] Banks = new int[TOTAL_BANKS];
        final int[] Levels = new int[TOTAL_BANKS];
    }
}
