package rules.startiorecursion.badcontrolroutinefailsandstartsnext;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * StartIo asks for the controller; the ControllerControl routine fails a request whose buffer could
 * not be mapped, frees the controller and starts the drive's next request. When the controller is
 * free, the system runs that routine inside IoAllocateController, so the next StartIo runs nested
 * in this one, and a queue of unmappable requests nests as deep as it is long: the driver never
 * asks for deferred StartIo.
 */
final class BadControlRoutineFailsAndStartsNext {
    static final class Drive {
        ControllerObject Controller;
        byte[] Buffer;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Drive drive = (Drive) DeviceObject.DeviceExtension;
        drive.Buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority);
        IoAllocateController(drive.Controller, DeviceObject, this::Granted, drive); // expect: StartIoRecursion
    }

    @Role(DriverControl.class)
    int Granted(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        Drive drive = (Drive) Context;
        if (drive.Buffer == null) {
            Irp.IoStatus.Status = STATUS_INSUFFICIENT_RESOURCES;
            Irp.IoStatus.Information = 0;
            IoFreeController(drive.Controller);
            IoStartNextPacket(DeviceObject, false);
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return KeepObject;
        }
        WRITE_PORT_UCHAR(0x1F7, (byte) 0x20);
        return KeepObject;
    }
}
