package rules.irqlkeraiselower.badraiseoncelowereachturn;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A gameport speed measurement that raises to HIGH_LEVEL once, before its three timed attempts,
 * and lowers at the end of each: the second attempt lowers an IRQL no raise saved any more.
 */
final class BadRaiseOnceLowerEachTurn {
    long Port;
    int ReadsPerMillisecond;

    @Role(DriverDispatch.class)
    int DispatchCreate(DeviceObject DeviceObject, Irp Irp) {
        ReadsPerMillisecond = Measure(Port); // expect: IrqlKeRaiseLower
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private int Measure(long port) {
        int best = Integer.MAX_VALUE;
        Out<Integer> oldIrql = new Out<>();
        KeRaiseIrql(HIGH_LEVEL, oldIrql);
        for (int attempt = 0; attempt < 3; attempt++) {
            int reads = 0;
            for (int us = 0; us < 1000; us += 10) {
                READ_PORT_UCHAR(port);
                reads++;
                KeStallExecutionProcessor(10);
            }
            KeLowerIrql(oldIrql.value);
            best = Math.min(best, reads);
        }
        return best;
    }
}
