package rules.controllernotfreed.goodfreecontrollerfirst;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The DPC frees the controller, then starts the next packet and completes the IRP. */
final class GoodFreeControllerFirst {
    ControllerObject Controller;

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
        IoFreeController(Controller);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
