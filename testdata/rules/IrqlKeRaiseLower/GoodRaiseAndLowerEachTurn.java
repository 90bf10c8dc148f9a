package rules.irqlkeraiselower.goodraiseandlowereachturn;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The measurement of the bad sample with a raise at the start of each timed attempt and its lower
 * at the end: every lower takes back the raise of its own turn, and the loop always runs (its
 * first test is decided), so the routine does not return at HIGH_LEVEL.
 */
final class GoodRaiseAndLowerEachTurn {
    long Port;
    int ReadsPerMillisecond;

    @Role(DriverDispatch.class)
    int DispatchCreate(DeviceObject DeviceObject, Irp Irp) {
        ReadsPerMillisecond = Measure(Port);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private int Measure(long port) {
        int best = Integer.MAX_VALUE;
        for (int attempt = 0; attempt < 3; attempt++) {
            Out<Integer> oldIrql = new Out<>();
            KeRaiseIrql(HIGH_LEVEL, oldIrql);
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
