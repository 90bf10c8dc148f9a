package rules.controllernotfreed.badwatchdoggivesupkeepingcontroller;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * Drives behind one controller. The ControllerControl routine notes the IRP it serves in the
 * controller extension; the DPC frees the controller when the operation ends. The IoTimer routine
 * counts down a watchdog and, when it expires, fails the request that holds the controller: it
 * starts the drive's next request and completes the IRP, but never frees the controller, so every
 * later request of every drive waits for it forever.
 */
final class BadWatchdogGivesUpKeepingController {
    static final class Channel {
        KInterrupt Interrupt;
        Irp Current;
        Drive Owner;
        int Ticks;
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
        channel.Ticks = 3;
        return KeepObject;
    }

    @Role(KSynchronizeRoutine.class)
    boolean Expired(Object Context) {
        Channel channel = (Channel) Context;
        return channel.Current != null && --channel.Ticks == 0;
    }

    @Role(IoTimerRoutine.class)
    void Watchdog(DeviceObject DeviceObject, Object Context) {
        Channel channel = (Channel) Context;
        if (!KeSynchronizeExecution(channel.Interrupt, this::Expired, channel)) {
            return;
        }
        Irp irp = channel.Current;
        Drive drive = channel.Owner;
        channel.Current = null;
        irp.IoStatus.Status = STATUS_IO_TIMEOUT;
        irp.IoStatus.Information = 0;
        IoStartNextPacket(drive.Device, false);
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    } // expect: ControllerNotFreed
}
