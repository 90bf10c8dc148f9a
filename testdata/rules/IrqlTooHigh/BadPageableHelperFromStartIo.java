package rules.irqltoohigh.badpageablehelperfromstartio;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** StartIo runs at DISPATCH_LEVEL and calls code the driver marked pageable. */
final class BadPageableHelperFromStartIo {
    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Information = CountRequests(); // expect: IrqlTooHigh
    }

    @Pageable
    private int CountRequests() {
        PAGED_CODE();
        return 1;
    }
}
