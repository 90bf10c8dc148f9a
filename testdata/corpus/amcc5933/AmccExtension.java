package corpus.amcc5933;

import dev.dpccheck.wdm.*;
import java.util.LinkedList;

/** Device extension of the AMCC S5933 driver. */
final class AmccExtension {
    DeviceObject Self;
    DeviceObject Pdo;
    DeviceObject LowerDevice;
    long PortBase;
    KInterrupt Interrupt;
    DmaAdapter Adapter;
    int MapRegisterCount;
    final IoRemoveLock RemoveLock = new IoRemoveLock();

    // the sequential queue, guarded by QueueLock
    final KSpinLock QueueLock = new KSpinLock();
    final LinkedList<Irp> Queue = new LinkedList<>();
    Irp CurrentIrp;

    // per transfer
    Object MapRegisterBase;
    Mdl TransferMdl;
    long TransferVa;
    int TotalLength;
    int BytesDone;
    int FragmentLength;
    boolean WriteToDevice;

    // shared with the ISR
    int IntCsrShadow;
    int CapturedIntCsr;
    boolean TransferActive;
}
