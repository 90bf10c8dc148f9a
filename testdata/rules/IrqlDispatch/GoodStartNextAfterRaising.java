package rules.irqldispatch.goodstartnextafterraising;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** A dispatch routine raises to DISPATCH_LEVEL around IoStartNextPacket; a DPC calls it directly. */
final class GoodStartNextAfterRaising {
    @Role(DriverDispatch.class)
    int DispatchSkip(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        Out<Integer> old = new Out<>();
        KeRaiseIrql(DISPATCH_LEVEL, old);
        IoStartNextPacket(DeviceObject, false);
        KeLowerIrql(old.value);
        return STATUS_SUCCESS;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
