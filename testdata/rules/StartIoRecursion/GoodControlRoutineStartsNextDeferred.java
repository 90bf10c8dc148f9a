package rules.startiorecursion.goodcontrolroutinestartsnextdeferred;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * StartIo asks for the controller; the ControllerControl routine fails a request whose buffer could
 * not be mapped, frees the controller and starts the drive's next request, which may happen inside
 * IoAllocateController. AddDevice asked for deferred StartIo, so the next StartIo waits until this
 * one has returned.
 */
final class GoodControlRoutineStartsNextDeferred {
    static final class Drive {
        ControllerObject Controller;
        byte[] Buffer;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        IoSetStartIoAttributes(Pdo, true, false);
        return STATUS_SUCCESS;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Drive drive = (Drive) DeviceObject.DeviceExtension;
        drive.Buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority);
        IoAllocateController(drive.Controller, DeviceObject, this::Granted, drive);
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
