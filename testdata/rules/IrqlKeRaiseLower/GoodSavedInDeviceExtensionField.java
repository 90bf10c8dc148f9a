package rules.rules.irqlkeraiselower.goodsavedindeviceextensionfield;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The IRQL is saved in a field of the extension and restored from the same field. */
final class GoodSavedInDeviceExtensionField {
    static final class Ext {
        int OldIrql;
        int Ticks;
    }

    @Role(DriverDispatch.class)
    int DispatchTick(DeviceObject DeviceObject, Irp Irp) {
        Ext ext = (Ext) DeviceObject.DeviceExtension;
        ext.OldIrql = KeRaiseIrqlToDpcLevel();
        ext.Ticks++;
        KeLowerIrql(ext.OldIrql);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}
