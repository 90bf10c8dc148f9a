package rules.controllernotfreed.goodcontrollercontrolfailsanddeallocates;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The failing ControllerControl routine of the bad sample, done right: the helper frees the
 * controller before it starts the next packet, and on the other failure path the routine returns
 * DeallocateObject, so that the system frees the controller when it returns.
 */
final class GoodControllerControlFailsAndDeallocates {
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
            FailRequest(DeviceObject, Irp, (Extension) Context);
            return KeepObject;
        }
        if ((READ_PORT_UCHAR(0x1F1) & 0x01) != 0) {
            Irp.IoStatus.Status = STATUS_DEVICE_DATA_ERROR;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return DeallocateObject;
        }
        WRITE_PORT_UCHAR(0x1F7, (byte) 0x20);
        return KeepObject;
    }

    private void FailRequest(DeviceObject device, Irp irp, Extension ext) {
        irp.IoStatus.Status = STATUS_DEVICE_NOT_READY;
        IoFreeController(ext.Controller);
        IoStartNextPacket(device, false);
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
