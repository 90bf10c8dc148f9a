package sample.seeded.managedliststartnexttooearly;

import dev.dpccheck.wdm.*;

/** The device extension of the DMA disk driver: nonpaged, one per device object. */
final class DiskExtension {
    // device-lifetime state, set in AddDevice and IRP_MN_START_DEVICE
    DeviceObject Self;
    DeviceObject LowerDevice;
    DeviceObject Pdo;
    long Registers;
    int RegisterLength;
    KInterrupt Interrupt;
    DmaAdapter Adapter;
    int MapRegisterCount;
    final IoRemoveLock RemoveLock = new IoRemoveLock();

    // the driver's own queue of requests waiting for the device (linked through each IRP's
    // Tail.Overlay.ListEntry), guarded by QueueLock
    final KSpinLock QueueLock = new KSpinLock();
    final ListEntry Waiting = new ListEntry();
    boolean Busy;
    /** Requests completed, for statistics. */
    int RequestsDone;

    // per-operation context, written by StartIo and the routines it starts
    Irp OperationIrp;
    Object MapRegisterBase;
    Mdl TransferMdl;
    long TransferVa;
    int TransferLength;
    int TotalLength;
    int BytesDone;
    long StartSector;
    boolean WriteToDevice;
    int RetryCount;

    // shared with the ISR: touched only at DIRQL under the interrupt spin lock
    boolean OperationPending;
    int TimeoutTicks;
    int CapturedStatus;
    int CapturedTransferred;
}
