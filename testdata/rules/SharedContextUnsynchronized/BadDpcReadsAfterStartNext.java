package rules.rules.sharedcontextunsynchronized.baddpcreadsafterstartnext;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * The busy-flag protocol of the good sample, but the DPC starts the next request before it reads
 * how many bytes moved: the next StartIo may already have raised Busy, and the ISR be counting the
 * new transfer's bytes into the field the DPC reads.
 */
final class BadDpcReadsAfterStartNext {
    static final int PORT_DATA = 0x300;
    static final int PORT_STATUS = 0x301;
    static final int PORT_COMMAND = 0x302;

    static final class Extension {
        KInterrupt Interrupt;
        boolean Busy;
        byte[] Buffer;
        int BytesLeft;
        int BytesDone;
        Irp CurrentRequest;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Extension ext = (Extension) Pdo.DeviceExtension;
        IoInitializeDpcRequest(Pdo, this::DpcForIsr);
        // a request that fails to start starts the next one from inside StartIo
        IoSetStartIoAttributes(Pdo, true, false);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptService, Pdo, null, 5, 5, 5, LevelSensitive, false,
                1, false);
        ext.Interrupt = interrupt.value;
        return status;
    }

    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        ext.CurrentRequest = Irp;
        ext.Buffer = Irp.AssociatedIrp.SystemBuffer;
        ext.BytesLeft = IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length;
        ext.BytesDone = 0;
        boolean started = KeSynchronizeExecution(ext.Interrupt, this::StartTransfer, ext);
        if (!started) {
            FailCurrent(DeviceObject, ext);
        }
    }

    @Role(KSynchronizeRoutine.class)
    boolean StartTransfer(Object Context) {
        Extension ext = (Extension) Context;
        ext.Busy = true;
        if ((READ_PORT_UCHAR(PORT_STATUS) & 0x40) == 0) {
            ext.Busy = false;
            return false;
        }
        WRITE_PORT_UCHAR(PORT_COMMAND, (byte) 1);
        return true;
    }

    private void FailCurrent(DeviceObject device, Extension ext) {
        Irp irp = ext.CurrentRequest;
        irp.IoStatus.Status = STATUS_DEVICE_NOT_READY;
        irp.IoStatus.Information = ext.BytesDone;
        IoStartNextPacket(device, false);
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject device = (DeviceObject) ServiceContext;
        Extension ext = (Extension) device.DeviceExtension;
        if (!ext.Busy) {
            return false;
        }
        ext.Buffer[ext.BytesDone] = READ_PORT_UCHAR(PORT_DATA);
        ext.BytesDone++;
        ext.BytesLeft--;
        if (ext.BytesLeft == 0) {
            ext.Busy = false;
            IoRequestDpc(device, ext.CurrentRequest, null);
        }
        return true;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        IoStartNextPacket(DeviceObject, false); // expect: StartNextPacketTooEarly
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = ext.BytesDone; // expect: SharedContextUnsynchronized
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
