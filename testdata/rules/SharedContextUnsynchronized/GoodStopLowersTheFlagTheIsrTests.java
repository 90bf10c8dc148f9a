package rules.sharedcontextunsynchronized.goodstoplowerstheflagtheisrtests;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A smart-card reader in the manner of the PSCR driver: the ISR claims the interrupt only while
 * Started is set, and otherwise only counts it for the DPC. The PnP path raises Started once the
 * reader answered and lowers it before it disconnects the interrupt: the ISR only ever tests the
 * flag, so it sees it either raised or lowered, never half-written, and nothing it reads is torn.
 */
final class GoodStopLowersTheFlagTheIsrTests {
    static final class Extension {
        KInterrupt Interrupt;
        Kdpc Dpc;
        boolean Started;
        int Pending;
    }

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status = STATUS_SUCCESS;
        if (stack.MinorFunction == IRP_MN_START_DEVICE) {
            status = Start(ext, DeviceObject);
        } else if (stack.MinorFunction == IRP_MN_STOP_DEVICE) {
            Stop(ext);
        }
        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    private int Start(Extension ext, DeviceObject device) {
        KeInitializeDpc(ext.Dpc, this::CardEventDpc, ext);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptService, ext, null, 7, 7, 7, Latched, false, 1, false);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        ext.Interrupt = interrupt.value;
        ext.Started = true;
        return STATUS_SUCCESS;
    }

    private void Stop(Extension ext) {
        ext.Started = false;
        if (ext.Interrupt != null) {
            IoDisconnectInterrupt(ext.Interrupt);
            ext.Interrupt = null;
        }
        KeRemoveQueueDpc(ext.Dpc);
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        Extension ext = (Extension) ServiceContext;
        if (!ext.Started) {
            return false;
        }
        ext.Pending++;
        KeInsertQueueDpc(ext.Dpc, null, null);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean TakeOne(Object Context) {
        Extension ext = (Extension) Context;
        ext.Pending--;
        return ext.Pending > 0;
    }

    @Role(KDeferredRoutine.class)
    void CardEventDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Extension ext = (Extension) DeferredContext;
        while (KeSynchronizeExecution(ext.Interrupt, this::TakeOne, ext)) {
            // one card event per interrupt counted
        }
    }
}
