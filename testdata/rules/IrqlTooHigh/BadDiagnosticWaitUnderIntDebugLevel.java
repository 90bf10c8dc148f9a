package rules.irqltoohigh.baddiagnosticwaitunderintdebuglevel;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A parallel printer port. The write dispatch asks a helper to validate the request; the helper
 * answers with a status constant: an error, STATUS_SUCCESS for an empty write (nothing to do), or
 * STATUS_PENDING when the request must go to the device. Errors and empty writes are completed at
 * once; only STATUS_PENDING is left, so the dispatch marks the IRP pending and returns it. A
 * debug-level constant set to the trace level lets a diagnostic wait run in the DPC, at DISPATCH_LEVEL.
 */
final class BadDiagnosticWaitUnderIntDebugLevel {
    static final long DATA = 0x378;
    static final long CONTROL = 0x37A;
    static final int DBG_LEVEL = 3;
    static final int DBG_TRACE = 3;
    static final int MAX_WRITE = 4096;

    static final class Port {
        KInterrupt Interrupt;
        KEvent DebugEvent;
        int Written;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Port port = (Port) Pdo.DeviceExtension;
        IoInitializeDpcRequest(Pdo, this::Dpc);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::Isr, Pdo, null, 7, 7, 7, Latched, false, 1, false);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        port.Interrupt = interrupt.value;
        return STATUS_SUCCESS;
    }

    private static int Validate(IoStackLocation stack) {
        int length = stack.Parameters.Write.Length;
        if (length > MAX_WRITE) {
            return STATUS_INVALID_PARAMETER;
        }
        if (length == 0) {
            return STATUS_SUCCESS;
        }
        return STATUS_PENDING;
    }

    @Role(DriverDispatch.class)
    int Write(DeviceObject DeviceObject, Irp Irp) {
        int status = Validate(IoGetCurrentIrpStackLocation(Irp));
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        if (status == STATUS_SUCCESS) {
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoMarkIrpPending(Irp);
        IoStartPacket(DeviceObject, Irp, null, null);
        return status;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Port port = (Port) DeviceObject.DeviceExtension;
        byte[] data = Irp.AssociatedIrp.SystemBuffer;
        port.Written = data.length;
        for (int i = 0; i < data.length; i++) {
            WRITE_PORT_UCHAR(DATA, data[i]);
        }
    }

    @Role(KServiceRoutine.class)
    boolean Isr(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject device = (DeviceObject) ServiceContext;
        IoRequestDpc(device, device.CurrentIrp, null);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void Dpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Port port = (Port) DeviceObject.DeviceExtension;
        if (DBG_LEVEL >= DBG_TRACE) {
            KeWaitForSingleObject(port.DebugEvent, Executive, KernelMode, false, null); // expect: IrqlTooHigh
        }
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = port.Written;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
