package rules.dpcirpnotcompleted.goodfinishedirpscompleted;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.ArrayDeque;

/**
 * A network adapter's transmit DPC. Sends are queued in the order they went to the hardware; for
 * each descriptor the adapter has given back, the DPC takes the oldest send off the queue and a
 * helper fills in its status and hands it back; the DPC completes each one it gets back, failed
 * or not, outside the send lock.
 */
final class GoodFinishedIrpsCompleted {
    static final int TX_DONE = 0x01;
    static final int TX_UNDERRUN = 0x10;

    static final class Send {
        Irp Irp;
        int Length;
    }

    static final class NicExtension {
        final ArrayDeque<Send> Sent = new ArrayDeque<>();
        KSpinLock SendLock = new KSpinLock();
        int[] TxStatus = new int[16];
        int TxHead;
        int TxTail;
    }

    @Role(IoDpcRoutine.class)
    void TransmitDpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        NicExtension nic = (NicExtension) DeviceObject.DeviceExtension;
        KeAcquireSpinLockAtDpcLevel(nic.SendLock);
        while (nic.TxHead != nic.TxTail && !nic.Sent.isEmpty()) {
            int status = nic.TxStatus[nic.TxHead];
            nic.TxHead = (nic.TxHead + 1) % nic.TxStatus.length;
            Irp done = FinishSend(nic.Sent.poll(), (status & TX_UNDERRUN) != 0 ? STATUS_DEVICE_DATA_ERROR
                    : STATUS_SUCCESS);
            KeReleaseSpinLockFromDpcLevel(nic.SendLock);
            IoCompleteRequest(done, IO_NO_INCREMENT);
            KeAcquireSpinLockAtDpcLevel(nic.SendLock);
        }
        KeReleaseSpinLockFromDpcLevel(nic.SendLock);
    }

    /** Fills in a finished send's status and returns its IRP for the caller to complete. */
    private static Irp FinishSend(Send send, int status) {
        Irp irp = send.Irp;
        irp.IoStatus.Status = status;
        irp.IoStatus.Information = status == STATUS_SUCCESS ? send.Length : 0;
        return irp;
    }
}
