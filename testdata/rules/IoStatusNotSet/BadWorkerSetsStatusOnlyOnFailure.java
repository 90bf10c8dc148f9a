package rules.iostatusnotset.badworkersetsstatusonlyonfailure;

import dev.dpccheck.wdm.*;
import java.util.ArrayDeque;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A driver-managed queue: the worker DPC takes the next IRP, does the transfer in a helper that
 * reports the bytes moved, and sets the status only when the transfer failed. The worker takes
 * charge of the IRP's I/O status block, so its success path must set the status too.
 */
final class BadWorkerSetsStatusOnlyOnFailure {
    static final class Drive {
        final KSpinLock Lock = new KSpinLock();
        final ArrayDeque<Irp> Queue = new ArrayDeque<>();
        byte[] Image = new byte[4096];
    }

    @Role(KDeferredRoutine.class)
    void WorkerDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Drive drive = (Drive) DeferredContext;
        KeAcquireSpinLockAtDpcLevel(drive.Lock);
        Irp irp = drive.Queue.poll();
        KeReleaseSpinLockFromDpcLevel(drive.Lock);
        if (irp == null) {
            return;
        }
        int status = Transfer(drive, irp);
        if (!NT_SUCCESS(status)) {
            irp.IoStatus.Status = status;
        }
        IoCompleteRequest(irp, IO_DISK_INCREMENT); // expect: IoStatusNotSet
    }

    private int Transfer(Drive drive, Irp irp) {
        IoStackLocation stack = IoGetCurrentIrpStackLocation(irp);
        long offset = stack.Parameters.Read.ByteOffset;
        int length = stack.Parameters.Read.Length;
        if (offset < 0 || offset + length > drive.Image.length) {
            irp.IoStatus.Information = 0;
            return STATUS_INVALID_PARAMETER;
        }
        RtlCopyMemory(irp.AssociatedIrp.SystemBuffer, 0, drive.Image, (int) offset, length);
        irp.IoStatus.Information = length;
        return STATUS_SUCCESS;
    }
}
