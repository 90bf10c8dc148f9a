package rules.irqltoohigh.badpagedpoolinhelpercalledfromdpc;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The DPC calls a helper that allocates paged pool; the helper has no contract of its own. */
final class BadPagedPoolInHelperCalledFromDpc {
    byte[] scratch;

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        IoInitializeDpcRequest(Pdo, this::DpcForIsr);
        return STATUS_SUCCESS;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        if (scratch == null) {
            scratch = AllocateScratch(512); // expect: IrqlTooHigh
        }
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }

    private byte[] AllocateScratch(int bytes) {
        return ExAllocatePoolWithTag(PagedPool, bytes, 0x20202020);
    }
}
