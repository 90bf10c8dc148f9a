package rules.controllernotfreed.badstartnextbeforefreeingcontroller;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The DPC starts the next packet while it still holds the controller, and its error path never frees it. */
final class BadStartNextBeforeFreeingController {
    ControllerObject Controller;
    int Error;

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        IoAllocateController(Controller, DeviceObject, this::ControllerControl, null);
    }

    @Role(DriverControl.class)
    int ControllerControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        return KeepObject;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Irp.IoStatus.Status = Error != 0 ? STATUS_DEVICE_DATA_ERROR : STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false); // expect: ControllerNotFreed
        if (Error != 0) {
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return; // expect: ControllerNotFreed
        }
        IoFreeController(Controller);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
