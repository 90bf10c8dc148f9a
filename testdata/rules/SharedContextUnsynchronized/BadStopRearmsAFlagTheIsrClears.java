package rules.sharedcontextunsynchronized.badstoprearmsaflagtheisrclears;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The reader of the good sample, with a one-shot flag: the ISR claims one interrupt while Armed
 * is set and clears it itself, and the start path re-arms it outside a SynchCritSection. The ISR
 * writes the flag too, so the start path's write can be lost between the ISR's test and its clear.
 */
final class BadStopRearmsAFlagTheIsrClears {
    static final class Extension {
        KInterrupt Interrupt;
        Kdpc Dpc;
        boolean Armed;
        int Pending;
    }

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status = STATUS_SUCCESS;
        if (stack.MinorFunction == IRP_MN_START_DEVICE) {
            status = Start(ext, DeviceObject); // expect: SharedContextUnsynchronized
        } else if (stack.MinorFunction == IRP_MN_STOP_DEVICE) {
            // the dispatch routine connects on its START branch, so the analysis takes the interrupt as not yet
            // connected on every branch of it; a STOP comes after a START
            Stop(ext); // missing: SharedContextUnsynchronized
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
        ext.Armed = true;
        return STATUS_SUCCESS;
    }

    private void Stop(Extension ext) {
        ext.Armed = false;
        if (ext.Interrupt != null) {
            IoDisconnectInterrupt(ext.Interrupt);
            ext.Interrupt = null;
        }
        KeRemoveQueueDpc(ext.Dpc);
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        Extension ext = (Extension) ServiceContext;
        if (!ext.Armed) {
            return false;
        }
        ext.Armed = false;
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
