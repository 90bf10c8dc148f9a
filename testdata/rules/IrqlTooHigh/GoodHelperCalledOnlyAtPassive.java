package rules.irqltoohigh.goodhelpercalledonlyatpassive;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** A helper that allocates paged pool, called only from PASSIVE_LEVEL code: its IRQL is its callers'. */
final class GoodHelperCalledOnlyAtPassive {
    byte[] table;

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        table = AllocateTable();
        return table == null ? STATUS_INSUFFICIENT_RESOURCES : STATUS_SUCCESS;
    }

    private byte[] AllocateTable() {
        return ExAllocatePoolWithTag(PagedPool, 4096, 0x20202020);
    }
}
