package corpus.moufiltrdoublecompletion;

import dev.dpccheck.wdm.*;

/** One mouse packet as the port driver reports it (MOUSE_INPUT_DATA). */
final class MouseInputData {
    int UnitId;
    int Flags;
    int ButtonFlags;
    int ButtonData;
    int RawButtons;
    int LastX;
    int LastY;
    int ExtraInformation;
}

/** The class service callback the port driver calls from its DPC (PSERVICE_CALLBACK_ROUTINE). */
@FunctionalInterface
interface MouseServiceCallback {
    @IrqlRequires(Wdm.DISPATCH_LEVEL)
    void ServiceCallback(DeviceObject DeviceObject, MouseInputData[] Packets, int InputDataStart, int InputDataEnd,
            Out<Integer> InputDataConsumed);
}

/** What IOCTL_INTERNAL_MOUSE_CONNECT carries down the stack (CONNECT_DATA). */
final class ConnectData {
    DeviceObject ClassDeviceObject;
    MouseServiceCallback ClassService;
}

/** The filter's device extension. */
final class MouFilterExtension {
    DeviceObject Self;
    DeviceObject PDO;
    DeviceObject TopOfStack;
    /** The class driver's connection, saved when we put ourselves in the middle. */
    final ConnectData UpperConnectData = new ConnectData();
    final KSpinLock StatsLock = new KSpinLock();
    long PacketsSeen;
    long PacketsDropped;
    boolean Started;
    boolean SurpriseRemoved;
    boolean Removed;
}
