package rules.roletypenotdeclared.gooddeclaredandlambda;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** A method declared with its role, and a lambda, whose role is its target type. */
final class GoodDeclaredAndLambda {
    KInterrupt Interrupt;

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        IoInitializeDpcRequest(Pdo, this::Finish);
        return STATUS_SUCCESS;
    }

    @Role(IoDpcRoutine.class)
    void Finish(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSynchronizeExecution(Interrupt, context -> true, null);
    }
}
