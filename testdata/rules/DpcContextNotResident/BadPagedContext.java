package rules.dpccontextnotresident.badpagedcontext;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The custom DPC's context is allocated from paged pool. */
final class BadPagedContext {
    final Kdpc Dpc = new Kdpc();

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        byte[] context = ExAllocatePoolWithTag(PagedPool, 64, 0x20202020);
        KeInitializeDpc(Dpc, this::CustomDpc, context); // expect: DpcContextNotResident
        return STATUS_SUCCESS;
    }

    @Role(KDeferredRoutine.class)
    void CustomDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
    }
}
