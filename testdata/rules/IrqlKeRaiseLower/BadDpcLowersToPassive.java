package rules.irqlkeraiselower.baddpclowerstopassive;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** A DPC lowers the IRQL to do "passive" work, and raises again. */
final class BadDpcLowersToPassive {
    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeLowerIrql(PASSIVE_LEVEL); // expect: IrqlKeRaiseLower
        Out<Integer> old = new Out<>();
        KeRaiseIrql(DISPATCH_LEVEL, old);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
