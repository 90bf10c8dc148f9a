package rules.irqltoolow.goodraisesonlybelowdispatch;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A read routine of a lower driver, which may be called at PASSIVE_LEVEL or at DISPATCH_LEVEL:
 * it raises only when KeGetCurrentIrql() says it is below DISPATCH_LEVEL, and lowers only when it
 * raised. The helper that needs DISPATCH_LEVEL runs there on both paths.
 */
final class GoodRaisesOnlyBelowDispatch {
    static final class Stream {
        KSpinLock MapLock;
        int Mapped;
    }

    Stream Capture;

    @Role(DriverDispatch.class)
    int DispatchRead(DeviceObject DeviceObject, Irp Irp) {
        Out<Integer> callerIrql = new Out<>();
        boolean raised = false;
        if (KeGetCurrentIrql() < DISPATCH_LEVEL) {
            KeRaiseIrql(DISPATCH_LEVEL, callerIrql);
            raised = true;
        }
        MapMore(Capture);
        if (raised) {
            KeLowerIrql(callerIrql.value);
        }
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
