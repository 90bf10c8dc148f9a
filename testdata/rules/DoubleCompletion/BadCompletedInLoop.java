package rules.doublecompletion.badcompletedinloop;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** A DPC completes the same IRP once per finished chunk. */
final class BadCompletedInLoop {
    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        for (int chunk = 0; chunk < 2; chunk++) {
            Irp.IoStatus.Status = STATUS_SUCCESS; // expect: IrpUsedAfterCompletion
            IoCompleteRequest(Irp, IO_NO_INCREMENT); // expect: DoubleCompletion
        }
        IoStartNextPacket(DeviceObject, false);
    }
}
