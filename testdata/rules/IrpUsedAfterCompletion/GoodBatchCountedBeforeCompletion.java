package rules.irpusedaftercompletion.goodbatchcountedbeforecompletion;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.ArrayList;
import java.util.List;

/**
 * A DPC gathers the finished writes of a serial FIFO into a list, adds up the bytes written while
 * it still owns them, and only then has a helper complete the whole batch outside the port lock.
 */
final class GoodBatchCountedBeforeCompletion {
    static final class PortExtension {
        final KSpinLock PortLock = new KSpinLock();
        final java.util.ArrayDeque<Irp> Writes = new java.util.ArrayDeque<>();
        int FifoFree;
        long BytesWritten;
    }

    @Role(IoDpcRoutine.class)
    void WriteDoneDpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        PortExtension port = (PortExtension) DeviceObject.DeviceExtension;
        List<Irp> finished = new ArrayList<>();
        KeAcquireSpinLockAtDpcLevel(port.PortLock);
        while (!port.Writes.isEmpty() && port.FifoFree > 0) {
            Irp write = port.Writes.pollFirst();
            write.IoStatus.Status = STATUS_SUCCESS;
            write.IoStatus.Information = IoGetCurrentIrpStackLocation(write).Parameters.Write.Length;
            finished.add(write);
            port.FifoFree--;
        }
        KeReleaseSpinLockFromDpcLevel(port.PortLock);
        for (Irp write : finished) {
            port.BytesWritten += write.IoStatus.Information;
        }
        CompleteBatch(finished);
    }

    private static void CompleteBatch(List<Irp> batch) {
        for (Irp irp : batch) {
            IoCompleteRequest(irp, IO_SERIAL_INCREMENT);
        }
    }
}
