package rules.dpccontextnotresident.goodnonpagedcontext;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The custom DPC's context comes from nonpaged pool. */
final class GoodNonPagedContext {
    final Kdpc Dpc = new Kdpc();

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        byte[] context = ExAllocatePoolWithTag(NonPagedPool, 64, 0x20202020);
        KeInitializeDpc(Dpc, this::CustomDpc, context);
        return STATUS_SUCCESS;
    }

    @Role(KDeferredRoutine.class)
    void CustomDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
    }
}
