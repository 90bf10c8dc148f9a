package rules.irqldispatch.badfreeadapterchannelinsynchcritsection;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The adapter channel is freed inside a SynchCritSection, at DIRQL instead of DISPATCH_LEVEL. */
final class BadFreeAdapterChannelInSynchCritSection {
    KInterrupt Interrupt;
    DmaAdapter Adapter;

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSynchronizeExecution(Interrupt, this::Finish, null);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }

    @Role(KSynchronizeRoutine.class)
    boolean Finish(Object SynchronizeContext) {
        Adapter.DmaOperations.FreeAdapterChannel(Adapter); // expect: IrqlDispatch
        return true;
    }
}
