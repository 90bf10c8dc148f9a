package rules.dpcirpnotcompleted.goodretryorcomplete;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** After a flush, every path either programs a retry in a SynchCritSection or completes the IRP. */
final class GoodRetryOrComplete {
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
            return;
        }
        Irp.IoStatus.Status = Error != 0 ? STATUS_DEVICE_DATA_ERROR : STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }

    @Role(KSynchronizeRoutine.class)
    boolean Restart(Object SynchronizeContext) {
        // restart the transfer: the DMA engine's go bit
        WRITE_PORT_UCHAR(0x378, (byte) 1);
        return true;
    }
}
