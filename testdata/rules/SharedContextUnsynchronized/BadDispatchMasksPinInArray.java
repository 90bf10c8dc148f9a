package rules.rules.sharedcontextunsynchronized.baddispatchmaskspininarray;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A GPIO controller with one enable mask per bank, kept in an array in the extension. The ISR reads
 * a bank's mask to tell its pins' interrupts from stray ones and clears a pin that fired in
 * one-shot mode. The disable IOCTL clears the pin's bit with a read-modify-write of the array
 * element outside any SynchCritSection: an interrupt between the read and the write loses the ISR's
 * own change.
 */
final class BadDispatchMasksPinInArray {
    static final long ENABLE = 0x10;
    static final long STATUS = 0x14;

    static final class Gpio {
        KInterrupt Interrupt;
        long Registers;
        int[] Enabled = new int[4];
        int[] OneShot = new int[4];
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Gpio gpio = (Gpio) Pdo.DeviceExtension;
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::Isr, gpio, null, 9, 9, 9, LevelSensitive, true, 1, false);
        gpio.Interrupt = interrupt.value;
        return status;
    }

    @Role(KServiceRoutine.class)
    boolean Isr(KInterrupt Interrupt, Object ServiceContext) {
        Gpio gpio = (Gpio) ServiceContext;
        boolean ours = false;
        for (int bank = 0; bank < 4; bank++) {
            int fired = READ_REGISTER_ULONG(gpio.Registers + bank * 0x40 + STATUS) & gpio.Enabled[bank];
            if (fired != 0) {
                ours = true;
                gpio.Enabled[bank] &= ~(fired & gpio.OneShot[bank]);
                WRITE_REGISTER_ULONG(gpio.Registers + bank * 0x40 + ENABLE, gpio.Enabled[bank]);
            }
        }
        return ours;
    }

    @Role(DriverDispatch.class)
    int DeviceControl(DeviceObject DeviceObject, Irp Irp) {
        Gpio gpio = (Gpio) DeviceObject.DeviceExtension;
        int pin = IoGetCurrentIrpStackLocation(Irp).Parameters.DeviceIoControl.InputBufferLength;
        int bank = (pin / 32) & 3;
        gpio.Enabled[bank] &= ~(1 << (pin % 32)); // expect: SharedContextUnsynchronized
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}
