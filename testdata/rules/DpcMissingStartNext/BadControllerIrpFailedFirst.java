package rules.dpcmissingstartnext.badcontrollerirpfailedfirst;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A controller shared by drives: the ControllerControl routine notes in the controller extension
 * which IRP it now serves. The DPC's finishing helper frees the controller and, when the request
 * failed, completes that IRP at once and returns, before the drive's next request is started: the
 * drive's queue stalls after every failure. The success path starts the next request.
 */
final class BadControllerIrpFailedFirst {
    static final class Channel {
        Irp Current;
        Drive Owner;
    }

    static final class Drive {
        DeviceObject Device;
        ControllerObject Controller;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Drive drive = (Drive) DeviceObject.DeviceExtension;
        IoAllocateController(drive.Controller, DeviceObject, this::Granted, drive);
    }

    @Role(DriverControl.class)
    int Granted(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        Drive drive = (Drive) Context;
        Channel channel = (Channel) drive.Controller.ControllerExtension;
        channel.Current = Irp;
        channel.Owner = drive;
        return KeepObject;
    }

    @Role(IoDpcRoutine.class)
    void Dpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Finish((Channel) Context);
    } // expect: DpcMissingStartNext

    private void Finish(Channel channel) {
        Irp irp = channel.Current;
        Drive drive = channel.Owner;
        channel.Current = null;
        channel.Owner = null;
        IoFreeController(drive.Controller);
        if (!NT_SUCCESS(irp.IoStatus.Status)) {
            IoCompleteRequest(irp, IO_DISK_INCREMENT);
            return;
        }
        IoStartNextPacket(drive.Device, false);
        IoCompleteRequest(irp, IO_DISK_INCREMENT);
    }
}
