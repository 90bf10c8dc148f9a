package corpus.idectllowertopassive;

import dev.dpccheck.wdm.*;

/** The controller extension: one per IDE channel, shared by its master and slave drives. */
final class IdeControllerExtension {
    int Number;
    long CommandPortBase;
    long ControlPortBase;
    int Vector;
    KInterrupt Interrupt;
    final KSpinLock SpinLock = new KSpinLock();
    /** The device object whose IoTimer drives the channel's watchdog. */
    DeviceObject TimerDevice;

    // the operation in progress: written by ControllerControl and StartController, read by the ISR and the DPC
    Irp CurrentIrp;
    IdeDeviceExtension DeviceForOperation;
    int Retries;

    // shared with the ISR: touched only at DIRQL under the interrupt spin lock
    boolean OperationInProgress;
    int DeviceStatus;
    int TimerState;
    int TimerCount;
}

/** The device extension of one drive (the raw disk) on a channel. */
final class IdeDeviceExtension {
    DeviceObject DeviceObject;
    ControllerObject ControllerObject;
    int UnitNumber;
    boolean LBASupported;
    int BytesPerSector;
    int SectorsPerLogTrk;
    int LogicalHeads;
    long Size;

    // per-request state, set in StartIo and advanced sector by sector by the ISR
    int Operation;
    int BytesRequested;
    int BytesToTransfer;
    int StartingSector;
    int SectorsTransferred;
    byte[] TargetBuffer;
    int TargetOffset;
}
