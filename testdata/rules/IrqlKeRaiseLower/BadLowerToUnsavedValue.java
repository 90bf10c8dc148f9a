package rules.irqlkeraiselower.badlowertounsavedvalue;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The lower uses a value the raise did not save. */
final class BadLowerToUnsavedValue {
    int savedIrql;

    @Role(DriverDispatch.class)
    int DispatchTouch(DeviceObject DeviceObject, Irp Irp) {
        Out<Integer> old = new Out<>();
        KeRaiseIrql(DISPATCH_LEVEL, old);
        KeLowerIrql(savedIrql); // expect: IrqlKeRaiseLower
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}
