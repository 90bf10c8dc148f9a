package rules.rules.startnextpackettooearly.badacrosstwoclasses;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The DPC starts the next packet and hands the extension to a completer class that reads the transfer size. */
final class BadAcrossTwoClasses {
    final Completer completer = new Completer();

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        TransferState state = (TransferState) DeviceObject.DeviceExtension;
        state.Length = IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        IoStartNextPacket(DeviceObject, false); // expect: StartNextPacketTooEarly
        completer.Complete((TransferState) DeviceObject.DeviceExtension, Irp);
    }
}

final class TransferState {
    int Length;
}

final class Completer {
    void Complete(TransferState state, Irp irp) {
        irp.IoStatus.Status = STATUS_SUCCESS;
        irp.IoStatus.Information = state.Length;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
