package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.*;

/**
 * IO_DPC_ROUTINE: a DpcForIsr routine, registered with {@link Wdm#IoInitializeDpcRequest} and
 * queued by the ISR with {@link Wdm#IoRequestDpc}. Called at DISPATCH_LEVEL.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-io_dpc_routine
 */
@FunctionalInterface
public interface IoDpcRoutine {
    /**
     * The routine itself.
     */
    @IrqlRequires(DISPATCH_LEVEL)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context);
}
