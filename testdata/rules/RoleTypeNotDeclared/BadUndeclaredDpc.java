package rules.roletypenotdeclared.badundeclareddpc;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The DpcForIsr is registered by reference but not declared with its role type. */
final class BadUndeclaredDpc {
    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        IoInitializeDpcRequest(Pdo, this::Finish); // expect: RoleTypeNotDeclared
        return STATUS_SUCCESS;
    }

    void Finish(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
    }
}
