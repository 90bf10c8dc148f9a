package rules.dmaresourceleak.badscattergatherlistputonlyonsuccess;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A bus-master NIC in the PCIDRV manner: GetScatterGatherList hands each send's list to the
 * ExecutionRoutine, which keeps it in the transmit block; the DPC that reaps a finished block takes
 * the list out of the block but gives it back only when the send succeeded: a failed send leaks its
 * list and the map registers under it.
 */
final class BadScatterGatherListPutOnlyOnSuccess {
    static final class Tcb {
        Irp Irp;
        ScatterGatherList SgList;
        int Status;
    }

    static final class Nic {
        DmaAdapter Adapter;
        KSpinLock SendLock;
        Tcb Busy;
    }

    @Role(DriverListControl.class)
    void ProgramDma(DeviceObject DeviceObject, Irp Irp, ScatterGatherList ScatterGather, Object Context) {
        Tcb tcb = (Tcb) Context;
        tcb.SgList = ScatterGather;
    }

    @Role(IoDpcRoutine.class)
    void SendDoneDpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Nic nic = (Nic) DeviceObject.DeviceExtension;
        KeAcquireSpinLockAtDpcLevel(nic.SendLock);
        Tcb tcb = nic.Busy;
        nic.Busy = null;
        KeReleaseSpinLockFromDpcLevel(nic.SendLock);
        if (tcb != null) {
            FreeSend(nic, tcb);
        }
    } // expect: DmaResourceLeak

    private void FreeSend(Nic nic, Tcb tcb) {
        ScatterGatherList sg = tcb.SgList;
        tcb.SgList = null;
        if (sg != null && NT_SUCCESS(tcb.Status)) {
            nic.Adapter.DmaOperations.PutScatterGatherList(nic.Adapter, sg, true);
        }
        tcb.Irp.IoStatus.Status = tcb.Status;
        IoCompleteRequest(tcb.Irp, IO_NO_INCREMENT);
    }
}
