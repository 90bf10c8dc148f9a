package rules.irqltoohigh.baddelayinloopacrossclasses;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** StartIo calls into another class whose helper sleeps in a polling loop. */
final class BadDelayInLoopAcrossClasses {
    final DevicePoller poller = new DevicePoller();

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        poller.WaitUntilReady(0x1000); // expect: IrqlTooHigh
    }
}

final class DevicePoller {
    void WaitUntilReady(long status) {
        for (int i = 0; i < 10; i++) {
            if (READ_REGISTER_ULONG(status) != 0) {
                return;
            }
            KeDelayExecutionThread(KernelMode, false, -1000L);
        }
    }
}
