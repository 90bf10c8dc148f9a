package rules.dpcirpnotcompleted.badtakenreadlostwhenringempty;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.ArrayDeque;

/**
 * An infrared receiver: the ISR decodes pulses into a ring and queues a CustomDpc, which takes the
 * oldest waiting read off the driver's queue and fills it from the ring. When the ring turns out
 * to be empty (the ISR's last pulse was a repeat code), the DPC just returns: the read it took off
 * the queue is neither completed nor put back.
 */
final class BadTakenReadLostWhenRingEmpty {
    static final int RING = 64;

    static final class Receiver {
        KInterrupt Interrupt;
        final Kdpc Dpc = new Kdpc();
        final KSpinLock ReadLock = new KSpinLock();
        final ArrayDeque<Irp> Reads = new ArrayDeque<>();
        final byte[] Ring = new byte[RING];
        int Head;
        int Tail;
    }

    static final class Drain {
        Receiver Receiver;
        final byte[] Codes = new byte[RING];
        int Count;
    }

    @Role(KSynchronizeRoutine.class)
    boolean DrainRing(Object Context) {
        Drain drain = (Drain) Context;
        Receiver rx = drain.Receiver;
        while (rx.Tail != rx.Head && drain.Count < RING) {
            drain.Codes[drain.Count++] = rx.Ring[rx.Tail];
            rx.Tail = (rx.Tail + 1) % RING;
        }
        return drain.Count > 0;
    }

    @Role(KDeferredRoutine.class)
    void ReceiveDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Receiver rx = (Receiver) DeferredContext;
        KeAcquireSpinLockAtDpcLevel(rx.ReadLock);
        Irp read = rx.Reads.pollFirst();
        KeReleaseSpinLockFromDpcLevel(rx.ReadLock);
        if (read == null) {
            return;
        }
        Drain drain = new Drain();
        drain.Receiver = rx;
        if (!KeSynchronizeExecution(rx.Interrupt, this::DrainRing, drain)) {
            return; // expect: DpcIrpNotCompleted
        }
        int n = Math.min(IoGetCurrentIrpStackLocation(read).Parameters.Read.Length, drain.Count);
        RtlCopyMemory(read.AssociatedIrp.SystemBuffer, 0, drain.Codes, 0, n);
        read.IoStatus.Status = STATUS_SUCCESS;
        read.IoStatus.Information = n;
        IoCompleteRequest(read, IO_NO_INCREMENT);
    }
}
