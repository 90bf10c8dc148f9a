package rules.startnextpackettooearly.badownqueuenextstartedbeforecount;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.ArrayDeque;

/**
 * A parallel-port style device whose driver keeps its own request queue instead of a StartIo
 * routine. When a transfer ends, the DPC takes the next request off the queue and starts it at
 * once, to keep the device busy, and only then reads the byte count of the transfer that ended:
 * by then the start has written the new request's count over it.
 */
final class BadOwnQueueNextStartedBeforeCount {
    static final int PORT_DATA = 0x378;
    static final int PORT_CONTROL = 0x37a;

    static final class PortExtension {
        KInterrupt Interrupt;
        final KSpinLock QueueLock = new KSpinLock();
        final ArrayDeque<Irp> Queue = new ArrayDeque<>();
        Irp Active;
        int TransferCount;
        int TransferDone;
    }

    /** Makes {@code irp} the active request and starts the device on it. */
    private void StartTransfer(PortExtension port, Irp irp) {
        port.Active = irp;
        port.TransferCount = IoGetCurrentIrpStackLocation(irp).Parameters.Write.Length;
        port.TransferDone = 0;
        KeSynchronizeExecution(port.Interrupt, this::Go, port);
    }

    @Role(KSynchronizeRoutine.class)
    boolean Go(Object Context) {
        PortExtension port = (PortExtension) Context;
        WRITE_PORT_UCHAR(PORT_CONTROL, (byte) 0x10);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void TransferDpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        PortExtension port = (PortExtension) DeviceObject.DeviceExtension;
        KeAcquireSpinLockAtDpcLevel(port.QueueLock);
        Irp done = port.Active;
        port.Active = null;
        Irp next = port.Queue.pollFirst(); // expect: StartNextPacketTooEarly
        if (next != null) {
            StartTransfer(port, next);
        }
        KeReleaseSpinLockFromDpcLevel(port.QueueLock);
        if (done == null) {
            return;
        }
        done.IoStatus.Status = STATUS_SUCCESS;
        done.IoStatus.Information = port.TransferCount;
        IoCompleteRequest(done, IO_NO_INCREMENT);
    }
}
