package rules.controllernotfreed.badcontrollercontrolfailskeepingcontroller;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * Two drives share one channel through a controller object. When the drive does not become ready,
 * the ControllerControl routine fails the request on the spot through a helper, which starts the
 * next packet and completes the IRP but never frees the controller it was just granted: it
 * returns KeepObject, and the channel stays allocated for good.
 */
final class BadControllerControlFailsKeepingController {
    static final class Extension {
        ControllerObject Controller;
        KInterrupt Interrupt;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        IoSetStartIoAttributes(Pdo, true, false);
        return STATUS_SUCCESS;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        IoAllocateController(ext.Controller, DeviceObject, this::ControllerControl, ext);
    }

    @Role(DriverControl.class)
    int ControllerControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        if ((READ_PORT_UCHAR(0x1F7) & 0x40) == 0) {
            FailRequest(DeviceObject, Irp); // expect: ControllerNotFreed
            return KeepObject; // expect: ControllerNotFreed
        }
        WRITE_PORT_UCHAR(0x1F7, (byte) 0x20);
        return KeepObject;
    }

    private void FailRequest(DeviceObject device, Irp irp) {
        irp.IoStatus.Status = STATUS_DEVICE_NOT_READY;
        IoStartNextPacket(device, false);
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
