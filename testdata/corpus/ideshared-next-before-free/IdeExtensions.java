package corpus.idesharednextbeforefree;

import dev.dpccheck.wdm.*;

/** The channel's functional device object: owns the ports, the interrupt and the controller object. */
final class ChannelExtension {
    DeviceObject Self;
    DeviceObject LowerDevice;
    ControllerObject Controller;
    final DeviceObject[] Disks = new DeviceObject[2];
}

/** One drive (master or slave) on the channel. */
final class IdeDeviceExtension {
    DeviceObject DeviceObject;
    ControllerObject ControllerObject;
    int UnitNumber;
    long TotalSectors;

    // the request StartIo set up; the ISR advances it through the chunks
    int Operation;
    long StartingSector;
    int BytesRequested;
    int BytesToTransfer;
    int SectorsTransferred;
    byte[] TargetBuffer;
    int TargetOffset;
}

/** The controller extension shared by both drives; the ISR's context. */
final class IdeControllerExtension {
    long CommandPortBase;
    long ControlPortBase;
    int Vector;
    int Irql;
    long Affinity;
    KInterrupt Interrupt;
    DeviceObject Channel;

    // shared with the ISR
    boolean OperationInProgress;
    IdeDeviceExtension DeviceForOperation;
    Irp CurrentIrp;
    int Retries;
    int DeviceStatus;
    int TimerState;
    int TimerCount;

    /** What the timer's SynchCritSection tells the timer routine to do afterwards. */
    static final class TimerResult {
        IdeControllerExtension Controller;
        boolean Finish;
    }
}
