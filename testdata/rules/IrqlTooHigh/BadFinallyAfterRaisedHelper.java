package rules.irqltoohigh.badfinallyafterraisedhelper;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The transfer of the good sample, but the driver checks the request with a helper of its own while
 * the IRQL is raised. The helper may throw (it indexes an array with the caller's count); the
 * finally block then runs at DISPATCH_LEVEL and calls PutDmaAdapter there.
 */
final class BadFinallyAfterRaisedHelper {
    static final class FdoData {
        DeviceObject Self;
        DeviceObject UnderlyingPdo;
        Object MapRegisterBase;
    }

    @Role(DriverControl.class)
    int AdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        ((FdoData) Context).MapRegisterBase = MapRegisterBase;
        return KeepObject;
    }

    @Role(DriverDispatch.class)
    int DispatchWrite(DeviceObject DeviceObject, Irp Irp) {
        FdoData fdo = (FdoData) DeviceObject.DeviceExtension;
        int status = Transfer(fdo, IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length); // expect: IrqlTooHigh
        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    private int Transfer(FdoData fdo, int length) {
        DmaAdapter adapter = null;
        try {
            DeviceDescription description = new DeviceDescription();
            description.Version = DEVICE_DESCRIPTION_VERSION2;
            Out<Integer> mapRegisters = new Out<>();
            adapter = IoGetDmaAdapter(fdo.UnderlyingPdo, description, mapRegisters);
            if (adapter == null) {
                return STATUS_NO_MATCH;
            }
            Out<Integer> irql = new Out<>();
            KeRaiseIrql(DISPATCH_LEVEL, irql);
            Validate(fdo, length);
            int status = adapter.DmaOperations.AllocateAdapterChannel(adapter, fdo.Self, 1, this::AdapterControl, fdo);
            if (status == STATUS_SUCCESS) {
                adapter.DmaOperations.FreeAdapterChannel(adapter);
            }
            KeLowerIrql(irql.value);
            return status;
        } finally {
            if (adapter != null) {
                adapter.DmaOperations.PutDmaAdapter(adapter);
            }
        }
    }

    private void Validate(FdoData fdo, int length) {
        int[] limits = {512, 4096};
        if (length > limits[length / 4096]) {
            fdo.MapRegisterBase = null;
        }
    }
}
