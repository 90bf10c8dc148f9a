package rules.irqlnotrestored.baderrorpathkeepsirqlraised;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The error path returns between the raise and the lower. */
final class BadErrorPathKeepsIrqlRaised {
    int state;

    @Role(DriverDispatch.class)
    int DispatchUpdate(DeviceObject DeviceObject, Irp Irp) {
        Out<Integer> old = new Out<>();
        KeRaiseIrql(DISPATCH_LEVEL, old);
        if (state < 0) {
            Irp.IoStatus.Status = STATUS_UNSUCCESSFUL;
            return STATUS_UNSUCCESSFUL; // expect: IrqlNotRestored
        }
        state++;
        KeLowerIrql(old.value);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}
