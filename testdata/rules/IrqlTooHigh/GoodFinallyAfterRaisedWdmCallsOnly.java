package rules.irqltoohigh.goodfinallyafterraisedwdmcallsonly;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A system-DMA write in the manner of the SDMA sample: the adapter is got for the one transfer and
 * put back in a finally block. The only code between KeRaiseIrql and KeLowerIrql are WDM routines,
 * which throw nothing into the driver, so the finally block runs at PASSIVE_LEVEL on every path and
 * may call PutDmaAdapter.
 */
final class GoodFinallyAfterRaisedWdmCallsOnly {
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
        int status = Transfer(fdo);
        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    private int Transfer(FdoData fdo) {
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
}
