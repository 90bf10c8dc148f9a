package rules.irqlnotrestored.goodraiseandlowerguardedbysameflag;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** Raise and lower guarded by the same flag: the paths correlate, the IRQL is always restored. */
final class GoodRaiseAndLowerGuardedBySameFlag {
    @Role(DriverDispatch.class)
    int DispatchMaybeRaised(DeviceObject DeviceObject, Irp Irp) {
        boolean raise = IoGetCurrentIrpStackLocation(Irp).MinorFunction == 1;
        Out<Integer> old = new Out<>();
        if (raise) {
            KeRaiseIrql(DISPATCH_LEVEL, old);
        }
        Irp.IoStatus.Status = STATUS_SUCCESS;
        if (raise) {
            KeLowerIrql(old.value);
        }
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}
