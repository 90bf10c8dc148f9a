package rules.dpcirpnotcompleted.goodstreamdpccompleteswhatitfinds;

import dev.dpccheck.wdm.*;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * An audio stream's DPC: the device has played some buffers; the DPC flushes the transfer and
 * completes the IRPs whose buffers are done, which on some passes is none. The driver keeps its
 * IRPs in its own list and has no current IRP to leave behind.
 */
final class GoodStreamDpcCompletesWhatItFinds {
    static final class Stream {
        DmaAdapter Adapter;
        Mdl Buffer;
        Object MapRegisterBase;
        long Position;
        final KSpinLock Lock = new KSpinLock();
        final ArrayDeque<Irp> Playing = new ArrayDeque<>();
    }

    @Role(KDeferredRoutine.class)
    void StreamDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Stream stream = (Stream) DeferredContext;
        stream.Adapter.DmaOperations.FlushAdapterBuffers(stream.Adapter, stream.Buffer, stream.MapRegisterBase, 0,
                4096, true);
        List<Irp> done = new ArrayList<>();
        KeAcquireSpinLockAtDpcLevel(stream.Lock);
        while (!stream.Playing.isEmpty() && stream.Position >= 4096) {
            done.add(stream.Playing.poll());
            stream.Position -= 4096;
        }
        KeReleaseSpinLockFromDpcLevel(stream.Lock);
        for (Irp irp : done) {
            irp.IoStatus.Status = STATUS_SUCCESS;
            irp.IoStatus.Information = 4096;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
        }
    }
}
