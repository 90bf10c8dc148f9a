package rules.dpcirpnotcompleted.badisrendedcommanddpcwaits;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A programmed-I/O tape controller. The ISR services interrupts only while a command is active;
 * when the drive reports the command finished it clears the flag and requests the DPC. On a short
 * block without an error the DPC returns, expecting another interrupt for the rest, but the ISR
 * has already stopped servicing the command: the IRP is never completed.
 */
final class BadIsrEndedCommandDpcWaits {
    static final int STATUS_PORT = 1;
    static final int DATA_PORT = 0;
    static final int ST_ERROR = 0x01;
    static final int ST_DONE = 0x80;

    static final class TapeExtension {
        DeviceObject Self;
        KInterrupt Interrupt;
        int PortBase;
        boolean CommandActive;
        int LastStatus;
        int BytesLeft;
    }

    @Role(DriverAddDevice.class)
    int TapeAddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Out<DeviceObject> fdo = new Out<>();
        int status = IoCreateDevice(DriverObject, TapeExtension.class, null, FILE_DEVICE_UNKNOWN, 0, false, fdo);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        TapeExtension ext = (TapeExtension) fdo.value.DeviceExtension;
        ext.Self = fdo.value;
        ext.PortBase = 0x330;
        IoInitializeDpcRequest(fdo.value, this::TapeDpc);
        return STATUS_SUCCESS;
    }

    @Role(DriverStartIo.class)
    void TapeStartIo(DeviceObject DeviceObject, Irp Irp) {
        TapeExtension ext = (TapeExtension) DeviceObject.DeviceExtension;
        ext.BytesLeft = IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length;
        KeSynchronizeExecution(ext.Interrupt, this::IssueRead, ext);
    }

    @Role(KSynchronizeRoutine.class)
    boolean IssueRead(Object Context) {
        TapeExtension ext = (TapeExtension) Context;
        ext.CommandActive = true;
        WRITE_PORT_UCHAR(ext.PortBase + STATUS_PORT, (byte) 0x08);
        return true;
    }

    @Role(KServiceRoutine.class)
    boolean TapeIsr(KInterrupt Interrupt, Object ServiceContext) {
        TapeExtension ext = (TapeExtension) ServiceContext;
        if (!ext.CommandActive) {
            return false;
        }
        int status = READ_PORT_UCHAR(ext.PortBase + STATUS_PORT) & 0xff;
        if ((status & ST_DONE) == 0) {
            READ_PORT_UCHAR(ext.PortBase + DATA_PORT);
            ext.BytesLeft--;
            return true;
        }
        ext.LastStatus = status;
        ext.CommandActive = false;
        IoRequestDpc(ext.Self, ext.Self.CurrentIrp, ext);
        return true;
    }

    @Role(IoDpcRoutine.class)
    void TapeDpc(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        TapeExtension ext = (TapeExtension) Context;
        if (Irp == null) {
            return;
        }
        int status = ext.LastStatus;
        if ((status & ST_ERROR) == 0 && ext.BytesLeft > 0) {
            // a short block: more will come (it will not: the ISR no longer services the command)
            return; // expect: DpcIrpNotCompleted
        }
        Irp.IoStatus.Status = (status & ST_ERROR) != 0 ? STATUS_DEVICE_DATA_ERROR : STATUS_SUCCESS;
        IoStartNextPacket(DeviceObject, false);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
