package rules.irqltoohigh.baddeletechildrenunderlistlock;

import dev.dpccheck.wdm.*;
import java.util.ArrayList;
import java.util.List;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A bus driver deletes its children's device objects while it holds the spin lock of the child
 * list: 'IoDeleteDevice' must be called at or below APC_LEVEL, and under the lock the pageable
 * helper runs at DISPATCH_LEVEL (which paged code must not either).
 */
final class BadDeleteChildrenUnderListLock {
    static final class BusExtension {
        final KSpinLock ChildLock = new KSpinLock();
        final List<DeviceObject> Children = new ArrayList<>();
    }

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        BusExtension bus = (BusExtension) DeviceObject.DeviceExtension;
        if (IoGetCurrentIrpStackLocation(Irp).MinorFunction == IRP_MN_REMOVE_DEVICE) {
            RemoveChildren(bus);
        }
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @Pageable
    private void RemoveChildren(BusExtension bus) {
        Out<Integer> old = new Out<>();
        KeAcquireSpinLock(bus.ChildLock, old);
        for (DeviceObject child : bus.Children) {
            IoDeleteDevice(child); // expect: IrqlTooHigh
        }
        bus.Children.clear();
        KeReleaseSpinLock(bus.ChildLock, old.value);
    }
}
