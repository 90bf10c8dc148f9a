package rules.irqlkeraiselower.goodraiselowerpairs;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** Raises saved and restored in pairs, one of them through KeRaiseIrqlToDpcLevel's return value. */
final class GoodRaiseLowerPairs {
    int ticks;

    @Role(DriverDispatch.class)
    int DispatchTick(DeviceObject DeviceObject, Irp Irp) {
        int old = KeRaiseIrqlToDpcLevel();
        ticks++;
        KeLowerIrql(old);
        Out<Integer> saved = new Out<>();
        KeRaiseIrql(DISPATCH_LEVEL, saved);
        ticks++;
        KeLowerIrql(saved.value);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}
