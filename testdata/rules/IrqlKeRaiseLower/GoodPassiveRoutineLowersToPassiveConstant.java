package rules.irqlkeraiselower.goodpassiveroutinelowerstopassiveconstant;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A dispatch routine, entered at PASSIVE_LEVEL, raises to DISPATCH_LEVEL around a call that needs
 * it and lowers to the constant PASSIVE_LEVEL: the level its raise saved, written out.
 */
final class GoodPassiveRoutineLowersToPassiveConstant {
    DeviceObject Self;

    @Role(DriverDispatch.class)
    int DispatchWrite(DeviceObject DeviceObject, Irp Irp) {
        Out<Integer> oldIrql = new Out<>();
        KeRaiseIrql(DISPATCH_LEVEL, oldIrql);
        IoStartNextPacket(DeviceObject, false);
        KeLowerIrql(PASSIVE_LEVEL);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}
