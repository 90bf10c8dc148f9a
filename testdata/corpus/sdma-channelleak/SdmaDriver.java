package corpus.sdmachannelleak;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A system (slave) DMA example driver: a write is carried out synchronously in the dispatch
 * routine. It gets a DMA adapter for the request line, allocates the adapter channel at
 * DISPATCH_LEVEL and waits at PASSIVE_LEVEL for the AdapterControl routine to signal that the map
 * registers are there, maps the buffer, starts the request line and waits for the controller to
 * finish, flushes, frees the channel (raising again), and always puts the adapter back on the way
 * out. The sample's DMA completion callback becomes a poll of the controller's status register.
 * Re-expressed from: microsoft/Windows-driver-samples/general/SystemDma/wdm/sys/sdma.c (structure and facts, not code).
 */
public final class SdmaDriver {
    static final int DMA_REQUEST_LINE = 0x1000;
    static final int REQUESTED_MAP_REGISTERS = 2;
    static final int MAX_LENGTH = REQUESTED_MAP_REGISTERS * PAGE_SIZE;
    static final long CONTROLLER_BASE = 0x70006000L;
    static final int REG_REQUEST = 0x200;
    static final int REG_STATUS = 0x204;
    static final int STATUS_BUSY = 0x1;
    static final int STATUS_FAULT = 0x2;
    /** 10 ms, relative, in 100 ns units. */
    static final long POLL_INTERVAL = -10 * 10000L;
    static final int POLL_LIMIT = 100;
    static final int STATUS_NO_MATCH = 0xC0000272;

    /** Context shared with the AdapterControl routine (SDMA_CALLBACK_CONTEXT). */
    static final class CallbackContext {
        int Action;
        int NumberOfMapRegisters;
        Object MapRegisterBase;
        final KEvent CallBackEvent = new KEvent();
    }

    /** The device object's extension. */
    static final class FdoData {
        DeviceObject Self;
        DeviceObject UnderlyingPDO;
        long Controller;
    }

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        Out<DeviceObject> created = new Out<>();
        int ntStatus = IoCreateDevice(DriverObject, FdoData.class, new UnicodeString("\\Device\\SDMA"),
                FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN, false, created);
        if (!NT_SUCCESS(ntStatus)) {
            return ntStatus;
        }
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = this::Write;
        DriverObject.DriverUnload = this::UnloadDriver;
        DeviceObject device = created.value;
        FdoData fdoData = (FdoData) device.DeviceExtension;
        fdoData.Self = device;
        fdoData.UnderlyingPDO = device;
        fdoData.Controller = MmMapIoSpace(CONTROLLER_BASE, PAGE_SIZE, MmNonCached);
        if (fdoData.Controller == 0) {
            IoDeleteDevice(device);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        device.Flags |= DO_DIRECT_IO;
        return STATUS_SUCCESS;
    }

    @Role(DriverUnload.class)
    @Pageable
    void UnloadDriver(DriverObject DriverObject) {
        PAGED_CODE();
        FdoData fdoData = (FdoData) DriverObject.DeviceObject.DeviceExtension;
        MmUnmapIoSpace(fdoData.Controller, PAGE_SIZE);
        IoDeleteDevice(DriverObject.DeviceObject);
    }

    @Role(DriverDispatch.class)
    @Pageable
    int CreateClose(DeviceObject DeviceObject, Irp Irp) {
        PAGED_CODE();
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    @Role(DriverControl.class)
    int AdapterControl(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
        CallbackContext callbackContext = (CallbackContext) Context;
        callbackContext.MapRegisterBase = MapRegisterBase;
        int action = callbackContext.Action;
        KeSetEvent(callbackContext.CallBackEvent, IO_NO_INCREMENT, false);
        return action;
    }

    /** Waits for the DMA controller to drain the request line; false on a fault or a timeout. */
    private boolean WaitForController(FdoData fdoData) {
        for (int i = 0; i < POLL_LIMIT; i++) {
            int status = READ_REGISTER_ULONG(fdoData.Controller + REG_STATUS);
            if ((status & STATUS_FAULT) != 0) {
                return false;
            }
            if ((status & STATUS_BUSY) == 0) {
                return true;
            }
            KeDelayExecutionThread(KernelMode, false, POLL_INTERVAL);
        }
        return false;
    }

    /** One system-DMA write of the request buffer to the controller's request line. PASSIVE_LEVEL. */
    private int DmaWrite(FdoData fdoData, Irp irp, Out<Integer> written) {
        int status = STATUS_SUCCESS;
        DmaAdapter writeAdapter = null;
        try {
            DeviceDescription description = new DeviceDescription();
            description.Version = DEVICE_DESCRIPTION_VERSION2;
            description.Dma32BitAddresses = true;
            description.Master = false;
            description.ScatterGather = true;
            description.MaximumLength = MAX_LENGTH;
            Out<Integer> allocatableMapRegisters = new Out<>();
            writeAdapter = IoGetDmaAdapter(fdoData.UnderlyingPDO, description, allocatableMapRegisters);
            if (writeAdapter == null) {
                status = STATUS_NO_MATCH;
                return status;
            }
            CallbackContext writeContext = new CallbackContext();
            writeContext.Action = KeepObject;
            writeContext.NumberOfMapRegisters = allocatableMapRegisters.value;
            KeInitializeEvent(writeContext.CallBackEvent, NotificationEvent, false);

            Out<Integer> irql = new Out<>();
            KeRaiseIrql(DISPATCH_LEVEL, irql);
            status = writeAdapter.DmaOperations.AllocateAdapterChannel(writeAdapter, fdoData.Self,
                    writeContext.NumberOfMapRegisters, this::AdapterControl, writeContext);
            KeLowerIrql(irql.value);
            if (status != STATUS_SUCCESS) {
                return status;
            }
            KeWaitForSingleObject(writeContext.CallBackEvent, Executive, KernelMode, false, null);

            Mdl mdl = irp.MdlAddress;
            long currentVa = MmGetMdlVirtualAddress(mdl);
            Out<Integer> length = new Out<>(Math.min(MmGetMdlByteCount(mdl), MAX_LENGTH));
            writeAdapter.DmaOperations.MapTransfer(writeAdapter, mdl, writeContext.MapRegisterBase, currentVa,
                    length, true);
            WRITE_REGISTER_ULONG(fdoData.Controller + REG_REQUEST, DMA_REQUEST_LINE);
            if (!WaitForController(fdoData)) {
                return STATUS_IO_TIMEOUT;
            }
            writeAdapter.DmaOperations.FlushAdapterBuffers(writeAdapter, mdl, writeContext.MapRegisterBase,
                    currentVa, length.value, true);
            written.value = status == STATUS_SUCCESS ? length.value : 0;

            KeRaiseIrql(DISPATCH_LEVEL, irql);
            writeAdapter.DmaOperations.FreeAdapterChannel(writeAdapter);
            KeLowerIrql(irql.value);
            return status;
        } finally {
            if (writeAdapter != null) {
                writeAdapter.DmaOperations.PutDmaAdapter(writeAdapter);
            }
        }
    }

    @Role(DriverDispatch.class)
    int Write(DeviceObject DeviceObject, Irp Irp) {
        FdoData fdoData = (FdoData) DeviceObject.DeviceExtension;
        Out<Integer> written = new Out<>(0);
        int status;
        if (IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length == 0 || Irp.MdlAddress == null) {
            status = STATUS_INVALID_PARAMETER;
        } else {
            status = DmaWrite(fdoData, Irp, written); // missing: DmaResourceLeak
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = written.value;
        IoCompleteRequest(Irp, IO_NO_INCREMENT); // expect: DmaFlushMissing
        return status;
    }
}
