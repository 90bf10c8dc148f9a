package rules.irqldispatch.badstartnextpacketfromdispatch;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** A dispatch routine that rejects a request starts the next packet from PASSIVE_LEVEL. */
final class BadStartNextPacketFromDispatch {
    @Role(DriverDispatch.class)
    int DispatchCancelAll(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_CANCELLED;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        IoStartNextPacket(DeviceObject, false); // expect: IrqlDispatch
        return STATUS_CANCELLED;
    }
}
