package rules.sharedcontextunsynchronized.goodtimerlearnsfromsynchresultobject;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * An IDE-style timeout: the IoTimer routine hands a result object to a SynchCritSection, which
 * counts down the command's timeout and, when it runs out, takes the operation away from the ISR
 * (lowers OperationInProgress) and says so in the object's Finish flag. Only then does the timer
 * read the operation's context and fail the request; on every other tick Finish stays as the
 * object was made, false.
 */
final class GoodTimerLearnsFromSynchResultObject {
    static final class Controller {
        KInterrupt Interrupt;
        boolean OperationInProgress;
        Irp CurrentIrp;
        int Ticks;
        int BytesLeft;
    }

    static final class TickResult {
        Controller Controller;
        boolean Finish;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Controller c = (Controller) Pdo.DeviceExtension;
        IoInitializeDpcRequest(Pdo, this::DpcForIsr);
        IoInitializeTimer(Pdo, this::Timer, c);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptService, Pdo, null, 14, 14, 14, LevelSensitive,
                false, 1, false);
        c.Interrupt = interrupt.value;
        return status;
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        Controller c = (Controller) fdo.DeviceExtension;
        if (!c.OperationInProgress) {
            return false;
        }
        c.BytesLeft -= 512;
        if (c.BytesLeft <= 0) {
            c.OperationInProgress = false;
            IoRequestDpc(fdo, c.CurrentIrp, c);
        }
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean Tick(Object Context) {
        TickResult result = (TickResult) Context;
        Controller c = result.Controller;
        if (!c.OperationInProgress || --c.Ticks > 0) {
            return true;
        }
        c.OperationInProgress = false;
        result.Finish = true;
        return true;
    }

    @Role(IoTimerRoutine.class)
    void Timer(DeviceObject DeviceObject, Object Context) {
        Controller c = (Controller) Context;
        TickResult result = new TickResult();
        result.Controller = c;
        KeSynchronizeExecution(c.Interrupt, this::Tick, result);
        if (result.Finish) {
            FailTimedOut(c);
        }
    }

    private void FailTimedOut(Controller c) {
        Irp irp = c.CurrentIrp;
        c.CurrentIrp = null;
        c.BytesLeft = 0;
        irp.IoStatus.Status = STATUS_IO_TIMEOUT;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Controller c = (Controller) Context;
        c.CurrentIrp = null;
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
