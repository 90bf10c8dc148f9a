package corpus.sermouse;

import dev.dpccheck.wdm.*;

/** One mouse report, as the mouse class driver consumes it. */
final class MouseInputData {
    int UnitId;
    int ButtonFlags;
    int RawButtons;
    int LastX;
    int LastY;
}

/** The class driver's service callback (PSERVICE_CALLBACK_ROUTINE); called at DISPATCH_LEVEL. */
@FunctionalInterface
interface MouseClassService {
    void ServiceCallback(DeviceObject ClassDeviceObject, MouseInputData[] Data, int Count, Out<Integer> Consumed);
}

/** What IOCTL_INTERNAL_MOUSE_CONNECT hands over: the class device and its callback. */
final class ConnectData {
    DeviceObject ClassDeviceObject;
    MouseClassService ClassService;
}

/** Device extension of the serial mouse port driver. */
final class MouseExtension {
    DeviceObject Self;
    DeviceObject LowerDevice;
    long Port;
    int Vector;
    int Irql;
    long Affinity;
    int MouseType;
    int NumberOfButtons;
    int SampleRate;
    KInterrupt Interrupt;
    ConnectData Connect;
    final Kdpc ErrorLogDpc = new Kdpc();
    final Kdpc RetryDpc = new Kdpc();
    final KTimer DataConsumptionTimer = new KTimer();

    // shared with the ISR
    int EnableCount;
    final byte[] PacketBuffer = new byte[4];
    int PacketBufferPosition;
    int PreviousButtons;
    final MouseInputData[] InputData = new MouseInputData[64];
    int DataIn;
    int InputCount;
    int OverflowCount;

    /** What the DPC takes out of the port queue inside a SynchCritSection. */
    static final class QueueSnapshot {
        MouseExtension Extension;
        MouseInputData[] Data;
        int Count;
        int Overflows;
        int Delta;
    }
}
