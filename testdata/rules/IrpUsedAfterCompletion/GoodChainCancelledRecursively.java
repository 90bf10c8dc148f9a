package rules.irpusedaftercompletion.goodchaincancelledrecursively;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A keypad driver keeps pending read IRPs chained through Tail.Overlay.DriverContext[0]. On
 * IRP_MJ_CLEANUP it cancels the chain with a recursive helper -- each level completes a
 * different IRP (the next one in the chain, read before the current one is completed) -- and
 * then completes the cleanup IRP itself. Every IRP is completed exactly once.
 */
final class GoodChainCancelledRecursively {
    static final class Extension {
        Irp PendingHead;
        KSpinLock QueueLock = new KSpinLock();
        int Cancelled;
    }

    @Role(DriverDispatch.class)
    int DispatchCleanup(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        Irp head = ext.PendingHead;
        ext.PendingHead = null;
        CancelChain(ext, head, 0);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private static void CancelChain(Extension ext, Irp irp, int depth) {
        if (irp == null || depth > 64) {
            return;
        }
        Irp next = (Irp) irp.Tail.Overlay.DriverContext[0];
        irp.Tail.Overlay.DriverContext[0] = null;
        irp.IoStatus.Status = STATUS_CANCELLED;
        irp.IoStatus.Information = 0;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
        ext.Cancelled++;
        CancelChain(ext, next, depth + 1);
    }
}
