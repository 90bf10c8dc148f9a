package rules.iostatusnotset.goodsamenameinsiblingloops;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.ArrayDeque;

/**
 * A data-acquisition card's DPC: under the ring lock it takes waiting read requests off the
 * driver's own queue, copies samples into each and has a helper set its status, then completes
 * them all after dropping the lock. Both loops call their IRP {@code reader}; they are two
 * variables, and each IRP the second loop completes had its status set in the first.
 */
final class GoodSameNameInSiblingLoops {
    static final class DaqExtension {
        final ArrayDeque<Irp> Readers = new ArrayDeque<>();
        final KSpinLock RingLock = new KSpinLock();
        final short[] Ring = new short[4096];
        int RingHead;
        int RingCount;
    }

    @Role(IoDpcRoutine.class)
    void DaqDpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        DaqExtension ext = (DaqExtension) DeviceObject.DeviceExtension;
        ArrayDeque<Irp> done = new ArrayDeque<>();
        KeAcquireSpinLockAtDpcLevel(ext.RingLock);
        while (ext.RingCount > 0 && !ext.Readers.isEmpty()) {
            Irp reader = ext.Readers.pollFirst();
            int copied = CopyOut(ext, reader);
            FinishRead(reader, copied);
            done.add(reader);
        }
        KeReleaseSpinLockFromDpcLevel(ext.RingLock);
        for (Irp reader : done) {
            IoCompleteRequest(reader, IO_NO_INCREMENT);
        }
    }

    private static int CopyOut(DaqExtension ext, Irp irp) {
        byte[] out = irp.AssociatedIrp.SystemBuffer;
        int n = Math.min(ext.RingCount, out.length / 2);
        for (int i = 0; i < n; i++) {
            short sample = ext.Ring[(ext.RingHead + i) % ext.Ring.length];
            out[2 * i] = (byte) sample;
            out[2 * i + 1] = (byte) (sample >> 8);
        }
        ext.RingHead = (ext.RingHead + n) % ext.Ring.length;
        ext.RingCount -= n;
        return n;
    }

    private static void FinishRead(Irp irp, int samples) {
        irp.IoStatus.Status = STATUS_SUCCESS;
        irp.IoStatus.Information = 2L * samples;
    }
}
