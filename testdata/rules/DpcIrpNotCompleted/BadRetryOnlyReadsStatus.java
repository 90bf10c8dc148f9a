package rules.dpcirpnotcompleted.badretryonlyreadsstatus;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * After a flush, the retry path runs a SynchCritSection that only reads the device's status back
 * (it never restarts the transfer) and returns: nothing will interrupt again for this request, so
 * the IRP is never completed. Running a SynchCritSection is not starting more work.
 */
final class BadRetryOnlyReadsStatus {
    DmaAdapter Adapter;
    KInterrupt Interrupt;
    int Error;
    int Retries;

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        if (Irp == null) {
            return;
        }
        Adapter.DmaOperations.FlushAdapterBuffers(Adapter, Irp.MdlAddress, null, 0, 512, false);
        if (Error != 0 && ++Retries < 3) {
            KeSynchronizeExecution(Interrupt, this::Restart, null);
            return; // expect: DpcIrpNotCompleted
        }
        Irp.IoStatus.Status = Error != 0 ? STATUS_DEVICE_DATA_ERROR : STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }

    @Role(KSynchronizeRoutine.class)
    boolean Restart(Object SynchronizeContext) {
        Error = READ_PORT_UCHAR(0x379);
        return true;
    }
}
