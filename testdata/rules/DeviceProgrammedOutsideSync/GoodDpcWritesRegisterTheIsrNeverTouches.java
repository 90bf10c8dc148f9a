package rules.deviceprogrammedoutsidesync.gooddpcwritesregistertheisrnevertouches;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A USB host controller in the UHCI manner: the ISR reads and acknowledges the status register
 * and masks the interrupt-enable register; the root-hub timer DPC polls the two port status and
 * control registers and writes their change bits back to clear them. The ISR never touches the
 * port registers (a block of two, indexed by port number from a local), and no SynchCritSection
 * writes them either: there is nothing in them for an interrupt to meet.
 */
final class GoodDpcWritesRegisterTheIsrNeverTouches {
    static final int USBSTS = 0x02;
    static final int USBINTR = 0x04;
    static final int PORTSC1 = 0x10;
    static final int PORT_CHANGE_BITS = 0x000A;

    static final class Controller {
        long BaseRegister;
        KInterrupt Interrupt;
        int Status;
        int[] PortChange = new int[2];
        Kdpc PollDpc;
        KTimer PollTimer;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Controller hc = (Controller) Pdo.DeviceExtension;
        IoInitializeDpcRequest(Pdo, this::TransferDpc);
        KeInitializeDpc(hc.PollDpc, this::PollRootHub, hc);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptService, Pdo, null, 9, 9, 9, LevelSensitive, true,
                1, false);
        hc.Interrupt = interrupt.value;
        return status;
    }

    @Role(IoDpcRoutine.class)
    void TransferDpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Controller hc = (Controller) DeviceObject.DeviceExtension;
        KeSynchronizeExecution(hc.Interrupt, this::Unmask, hc);
    }

    @Role(KSynchronizeRoutine.class)
    boolean Unmask(Object Context) {
        Controller hc = (Controller) Context;
        WRITE_PORT_USHORT(hc.BaseRegister + USBINTR, (short) 0x000F);
        return true;
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        Controller hc = (Controller) fdo.DeviceExtension;
        long base = hc.BaseRegister;
        int status = READ_PORT_USHORT(base + USBSTS) & 0xFFFF;
        if (status == 0) {
            return false;
        }
        hc.Status |= status;
        WRITE_PORT_USHORT(base + USBSTS, (short) status);
        WRITE_PORT_USHORT(base + USBINTR, (short) 0);
        IoRequestDpc(fdo, null, null);
        return true;
    }

    @Role(KDeferredRoutine.class)
    void PollRootHub(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Controller hc = (Controller) DeferredContext;
        for (int port = 0; port < 2; port++) {
            long portsc = hc.BaseRegister + PORTSC1 + 2L * port;
            int value = READ_PORT_USHORT(portsc) & 0xFFFF;
            int change = value & PORT_CHANGE_BITS;
            if (change != 0) {
                hc.PortChange[port] |= change;
                WRITE_PORT_USHORT(portsc, (short) value);
            }
        }
        KeSetTimer(hc.PollTimer, -10_000_000L, hc.PollDpc);
    }
}
