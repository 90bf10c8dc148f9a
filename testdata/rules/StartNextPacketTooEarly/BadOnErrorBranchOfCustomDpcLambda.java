package rules.rules.startnextpackettooearly.badonerrorbranchofcustomdpclambda;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** A CustomDpc written as a lambda: its error branch starts the next packet before it reads the error count. */
final class BadOnErrorBranchOfCustomDpcLambda {
    static final class Ext {
        Irp CurrentRequest;
        int Errors;
        final Kdpc Dpc = new Kdpc();
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Ext ext = (Ext) Pdo.DeviceExtension;
        KeInitializeDpc(ext.Dpc, (dpc, context, device, unused) -> {
            DeviceObject fdo = (DeviceObject) device;
            Irp irp = ext.CurrentRequest;
            if (ext.Errors > 0) {
                IoStartNextPacket(fdo, false); // expect: StartNextPacketTooEarly
                irp.IoStatus.Status = STATUS_DEVICE_DATA_ERROR;
                irp.IoStatus.Information = ext.Errors;
            } else {
                irp.IoStatus.Status = STATUS_SUCCESS;
                irp.IoStatus.Information = 0;
                IoStartNextPacket(fdo, false);
            }
            IoCompleteRequest(irp, IO_NO_INCREMENT);
        }, null);
        return STATUS_SUCCESS;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Ext ext = (Ext) DeviceObject.DeviceExtension;
        ext.CurrentRequest = Irp;
        ext.Errors = 0;
    }
}
