package rules.irqlkeraiselower.badlowersunconditionallyafterconditionalraise;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The read routine of the IrqlTooLow good sample, lowering whether or not it raised: called at
 * DISPATCH_LEVEL, it restores an IRQL that no raise saved.
 */
final class BadLowersUnconditionallyAfterConditionalRaise {
    static final class Stream {
        KSpinLock MapLock;
        int Mapped;
    }

    Stream Capture;

    @Role(DriverDispatch.class)
    int DispatchRead(DeviceObject DeviceObject, Irp Irp) {
        Out<Integer> callerIrql = new Out<>();
        if (KeGetCurrentIrql() < DISPATCH_LEVEL) {
            KeRaiseIrql(DISPATCH_LEVEL, callerIrql);
        }
        MapMore(Capture);
        KeLowerIrql(callerIrql.value); // expect: IrqlKeRaiseLower
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private void MapMore(Stream stream) {
        KeAcquireSpinLockAtDpcLevel(stream.MapLock);
        stream.Mapped++;
        KeReleaseSpinLockFromDpcLevel(stream.MapLock);
    }
}
