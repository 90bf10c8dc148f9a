package rules.irpusedaftercompletion.goodirpastagaftercompletion;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** After completion the IRP pointer serves only as the remove lock's tag, which is fine. */
final class GoodIrpAsTagAfterCompletion {
    final IoRemoveLock RemoveLock = new IoRemoveLock();

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        IoReleaseRemoveLock(RemoveLock, Irp);
    }
}
