package rules.irqlkeraiselower.badstartiolowerstopassiveconstant;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A StartIo written as if it ran at PASSIVE_LEVEL: it raises around IoAllocateController and then
 * lowers to the constant PASSIVE_LEVEL. StartIo is entered at DISPATCH_LEVEL, so the raise saved
 * DISPATCH_LEVEL and the lower drops below what the I/O manager called it at.
 */
final class BadStartIoLowersToPassiveConstant {
    ControllerObject Controller;

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Out<Integer> oldIrql = new Out<>();
        KeRaiseIrql(DISPATCH_LEVEL, oldIrql);
        IoAllocateController(Controller, DeviceObject, this::ControllerControl, null);
        KeLowerIrql(PASSIVE_LEVEL); // expect: IrqlKeRaiseLower
    } // expect: IrqlNotRestored

    @Role(DriverControl.class)
    int ControllerControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        return KeepObject;
    }
}
