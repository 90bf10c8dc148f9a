package corpus.plxdmadpcafterconnect;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A driver for the PLX 9656 PCI evaluation board: writes go out on DMA channel 0 and reads come in
 * on DMA channel 1, each direction a sequential queue of its own. A request is mapped with
 * GetScatterGatherList; its list control routine writes the descriptor chain and starts the
 * channel. The ISR recognizes a channel's interrupt, clears it at the device and records the
 * channel status; the DpcForIsr takes those records under the interrupt spin lock, releases the
 * scatter/gather list, completes the request and starts the next one of that direction.
 * Re-expressed from: microsoft/Windows-driver-samples/general/PLX9x5x/sys/IsrDpc.c, Init.c and Control.c (structure and facts, not code).
 */
@HardwareId("SIM\\PLX9656")
public final class Plx9x5x {
    static final int TAG = 0x39786c50;
    static final int MAX_TRANSFER = 64 * 1024;
    static final int MAX_DESCRIPTORS = 16;
    // registers (offsets in BAR0)
    static final int INT_CSR = 0x68;
    static final int DMA0_MODE = 0x80;
    static final int DMA0_DESC_PTR = 0x90;
    static final int DMA1_MODE = 0x94;
    static final int DMA1_DESC_PTR = 0xA4;
    static final int DMA1_RESIDUAL = 0xA8;
    static final int DMA0_CSR = 0xA8 + 0x00;
    static final int DMA1_CSR = 0xA9;
    static final int DESC_RAM = 0x400;
    static final int DESC_SIZE = 16;
    static final int INT_CSR_PCI_ENABLE = 0x00000100;
    static final int INT_CSR_DMA0_ACTIVE = 0x00200000;
    static final int INT_CSR_DMA1_ACTIVE = 0x00400000;
    static final int DMA_CSR_ENABLE = 0x01;
    static final int DMA_CSR_START = 0x02;
    static final int DMA_CSR_CLEAR = 0x08;
    static final int DMA_CSR_DONE = 0x10;
    static final int DMA_MODE_SGL_INT = 0x00020D43;
    static final int DESC_LAST = 0x2;
    static final int DESC_TO_DEVICE = 0x0;
    static final int DESC_FROM_DEVICE = 0x8;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        DriverObject.DriverUnload = this::Unload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::DispatchRead;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = this::DispatchWrite;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::DispatchPnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject PhysicalDeviceObject) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, PlxExtension.class, null, FILE_DEVICE_UNKNOWN, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        PlxExtension devExt = (PlxExtension) fdo.DeviceExtension;
        devExt.Self = fdo;
        devExt.Pdo = PhysicalDeviceObject;
        IoInitializeRemoveLock(devExt.RemoveLock, TAG, 0, 0);
        KeInitializeSpinLock(devExt.WriteLock);
        KeInitializeSpinLock(devExt.ReadLock);
        devExt.LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (devExt.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_UNSUCCESSFUL;
        }
        fdo.Flags |= DO_DIRECT_IO;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int CreateClose(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    // ---- requests ----

    /** Validates a transfer and takes the remove lock; a failure is completed here. */
    private int AcceptRequest(PlxExtension devExt, Irp Irp, int length) {
        int status = length == 0 || length > MAX_TRANSFER ? STATUS_INVALID_PARAMETER
                : IoAcquireRemoveLock(devExt.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
        }
        return status;
    }

    @Role(DriverDispatch.class)
    int DispatchWrite(DeviceObject DeviceObject, Irp Irp) {
        PlxExtension devExt = (PlxExtension) DeviceObject.DeviceExtension;
        int status = AcceptRequest(devExt, Irp, IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        IoMarkIrpPending(Irp);
        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(devExt.WriteLock, irql);
        boolean start = devExt.CurrentWrite == null;
        if (start) {
            devExt.CurrentWrite = Irp;
        } else {
            devExt.WriteQueue.addLast(Irp);
        }
        KeReleaseSpinLock(devExt.WriteLock, irql.value);
        if (start) {
            int oldIrql = KeRaiseIrqlToDpcLevel();
            StartWrite(devExt, Irp);
            KeLowerIrql(oldIrql);
        }
        return STATUS_PENDING;
    }

    @Role(DriverDispatch.class)
    int DispatchRead(DeviceObject DeviceObject, Irp Irp) {
        PlxExtension devExt = (PlxExtension) DeviceObject.DeviceExtension;
        int status = AcceptRequest(devExt, Irp, IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        IoMarkIrpPending(Irp);
        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(devExt.ReadLock, irql);
        boolean start = devExt.CurrentRead == null;
        if (start) {
            devExt.CurrentRead = Irp;
        } else {
            devExt.ReadQueue.addLast(Irp);
        }
        KeReleaseSpinLock(devExt.ReadLock, irql.value);
        if (start) {
            int oldIrql = KeRaiseIrqlToDpcLevel();
            StartRead(devExt, Irp);
            KeLowerIrql(oldIrql);
        }
        return STATUS_PENDING;
    }

    /** Maps the write buffer; the list control routine programs channel 0. Runs at DISPATCH_LEVEL. */
    private void StartWrite(PlxExtension devExt, Irp irp) {
        int length = IoGetCurrentIrpStackLocation(irp).Parameters.Write.Length;
        int status = devExt.Adapter.DmaOperations.GetScatterGatherList(devExt.Adapter, devExt.Self, irp.MdlAddress,
                MmGetMdlVirtualAddress(irp.MdlAddress), length, this::ProgramWriteDma, devExt, true);
        if (!NT_SUCCESS(status)) {
            WriteRequestComplete(devExt, status, 0);
        }
    }

    private void StartRead(PlxExtension devExt, Irp irp) {
        int length = IoGetCurrentIrpStackLocation(irp).Parameters.Read.Length;
        devExt.ReadRequested = length;
        int status = devExt.Adapter.DmaOperations.GetScatterGatherList(devExt.Adapter, devExt.Self, irp.MdlAddress,
                MmGetMdlVirtualAddress(irp.MdlAddress), length, this::ProgramReadDma, devExt, false);
        if (!NT_SUCCESS(status)) {
            ReadRequestComplete(devExt, status, 0);
        }
    }

    /** Writes one channel's descriptor chain into the board's descriptor RAM. */
    private void WriteDescriptors(PlxExtension devExt, ScatterGatherList sg, int base, int direction) {
        for (int i = 0; i < sg.NumberOfElements; i++) {
            long desc = devExt.Regs + DESC_RAM + base + (long) i * DESC_SIZE;
            WRITE_REGISTER_ULONG(desc, (int) sg.Elements[i].Address);
            WRITE_REGISTER_ULONG(desc + 4, 0);
            WRITE_REGISTER_ULONG(desc + 8, sg.Elements[i].Length);
            int next = i + 1 == sg.NumberOfElements ? DESC_LAST : base + (i + 1) * DESC_SIZE;
            WRITE_REGISTER_ULONG(desc + 12, next | direction);
        }
    }

    @Role(DriverListControl.class)
    void ProgramWriteDma(DeviceObject DeviceObject, Irp Irp, ScatterGatherList ScatterGather, Object Context) {
        PlxExtension devExt = (PlxExtension) Context;
        devExt.WriteSgList = ScatterGather;
        WriteDescriptors(devExt, ScatterGather, 0, DESC_TO_DEVICE);
        KeSynchronizeExecution(devExt.Interrupt, this::StartChannel0, devExt);
    }

    @Role(DriverListControl.class)
    void ProgramReadDma(DeviceObject DeviceObject, Irp Irp, ScatterGatherList ScatterGather, Object Context) {
        PlxExtension devExt = (PlxExtension) Context;
        devExt.ReadSgList = ScatterGather;
        WriteDescriptors(devExt, ScatterGather, MAX_DESCRIPTORS * DESC_SIZE, DESC_FROM_DEVICE);
        KeSynchronizeExecution(devExt.Interrupt, this::StartChannel1, devExt);
    }

    @Role(KSynchronizeRoutine.class)
    boolean StartChannel0(Object Context) {
        PlxExtension devExt = (PlxExtension) Context;
        WRITE_REGISTER_ULONG(devExt.Regs + DMA0_MODE, DMA_MODE_SGL_INT);
        WRITE_REGISTER_ULONG(devExt.Regs + DMA0_DESC_PTR, DESC_RAM);
        WRITE_REGISTER_UCHAR(devExt.Regs + DMA0_CSR, (byte) (DMA_CSR_ENABLE | DMA_CSR_START));
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean StartChannel1(Object Context) {
        PlxExtension devExt = (PlxExtension) Context;
        WRITE_REGISTER_ULONG(devExt.Regs + DMA1_MODE, DMA_MODE_SGL_INT);
        WRITE_REGISTER_ULONG(devExt.Regs + DMA1_DESC_PTR, DESC_RAM + MAX_DESCRIPTORS * DESC_SIZE);
        WRITE_REGISTER_UCHAR(devExt.Regs + DMA1_CSR, (byte) (DMA_CSR_ENABLE | DMA_CSR_START));
        return true;
    }

    // ---- interrupt ----

    @Role(KServiceRoutine.class)
    boolean InterruptIsr(KInterrupt Interrupt, Object ServiceContext) {
        PlxExtension devExt = (PlxExtension) ((DeviceObject) ServiceContext).DeviceExtension;
        boolean isRecognized = false;
        int intCsr = READ_REGISTER_ULONG(devExt.Regs + INT_CSR);
        if ((intCsr & INT_CSR_DMA0_ACTIVE) != 0) {
            devExt.DmaChan0IntActive = true;
            devExt.Dma0Csr = READ_REGISTER_UCHAR(devExt.Regs + DMA0_CSR);
            WRITE_REGISTER_UCHAR(devExt.Regs + DMA0_CSR, (byte) (devExt.Dma0Csr | DMA_CSR_CLEAR));
            isRecognized = true;
        }
        if ((intCsr & INT_CSR_DMA1_ACTIVE) != 0) {
            devExt.DmaChan1IntActive = true;
            devExt.Dma1Csr = READ_REGISTER_UCHAR(devExt.Regs + DMA1_CSR);
            devExt.Dma1Residual = READ_REGISTER_ULONG(devExt.Regs + DMA1_RESIDUAL);
            WRITE_REGISTER_UCHAR(devExt.Regs + DMA1_CSR, (byte) (devExt.Dma1Csr | DMA_CSR_CLEAR));
            isRecognized = true;
        }
        if (isRecognized && ((devExt.Dma0Csr & DMA_CSR_DONE) != 0 || (devExt.Dma1Csr & DMA_CSR_DONE) != 0)) {
            IoRequestDpc(devExt.Self, null, null); // expect: DpcNotRegistered
        }
        return isRecognized;
    }

    @Role(IoDpcRoutine.class)
    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        PlxExtension devExt = (PlxExtension) DeviceObject.DeviceExtension;
        boolean writeInterrupt = false;
        boolean readInterrupt = false;
        int residual = 0;

        int oldIrql = KeAcquireInterruptSpinLock(devExt.Interrupt);
        if (devExt.DmaChan0IntActive && (devExt.Dma0Csr & DMA_CSR_DONE) != 0) {
            devExt.DmaChan0IntActive = false;
            devExt.Dma0Csr = 0;
            writeInterrupt = true;
        }
        if (devExt.DmaChan1IntActive && (devExt.Dma1Csr & DMA_CSR_DONE) != 0) {
            devExt.DmaChan1IntActive = false;
            devExt.Dma1Csr = 0;
            residual = devExt.Dma1Residual;
            readInterrupt = true;
        }
        KeReleaseInterruptSpinLock(devExt.Interrupt, oldIrql);

        if (writeInterrupt) {
            Irp write = devExt.CurrentWrite;
            WriteRequestComplete(devExt, STATUS_SUCCESS,
                    IoGetCurrentIrpStackLocation(write).Parameters.Write.Length);
        }
        if (readInterrupt) {
            ReadRequestComplete(devExt, STATUS_SUCCESS, devExt.ReadRequested - residual);
        }
    }

    /** Releases the write's mapping, completes it and starts the next write. Runs at DISPATCH_LEVEL. */
    private void WriteRequestComplete(PlxExtension devExt, int status, long transferred) {
        if (devExt.WriteSgList != null) {
            devExt.Adapter.DmaOperations.PutScatterGatherList(devExt.Adapter, devExt.WriteSgList, true);
            devExt.WriteSgList = null;
        }
        KeAcquireSpinLockAtDpcLevel(devExt.WriteLock);
        Irp done = devExt.CurrentWrite;
        Irp next = devExt.WriteQueue.pollFirst();
        devExt.CurrentWrite = next;
        KeReleaseSpinLockFromDpcLevel(devExt.WriteLock);

        done.IoStatus.Status = status;
        done.IoStatus.Information = NT_SUCCESS(status) ? transferred : 0;
        IoCompleteRequest(done, IO_NO_INCREMENT);
        IoReleaseRemoveLock(devExt.RemoveLock, done);
        if (next != null) {
            StartWrite(devExt, next);
        }
    }

    private void ReadRequestComplete(PlxExtension devExt, int status, long transferred) {
        if (devExt.ReadSgList != null) {
            devExt.Adapter.DmaOperations.PutScatterGatherList(devExt.Adapter, devExt.ReadSgList, false);
            devExt.ReadSgList = null;
        }
        KeAcquireSpinLockAtDpcLevel(devExt.ReadLock);
        Irp done = devExt.CurrentRead;
        Irp next = devExt.ReadQueue.pollFirst();
        devExt.CurrentRead = next;
        KeReleaseSpinLockFromDpcLevel(devExt.ReadLock);

        done.IoStatus.Status = status;
        done.IoStatus.Information = NT_SUCCESS(status) ? transferred : 0;
        IoCompleteRequest(done, IO_NO_INCREMENT);
        IoReleaseRemoveLock(devExt.RemoveLock, done);
        if (next != null) {
            StartRead(devExt, next);
        }
    }

    // ---- PnP ----

    @Role(KSynchronizeRoutine.class)
    boolean InterruptEnable(Object Context) {
        PlxExtension devExt = (PlxExtension) Context;
        int intCsr = READ_REGISTER_ULONG(devExt.Regs + INT_CSR);
        WRITE_REGISTER_ULONG(devExt.Regs + INT_CSR, intCsr | INT_CSR_PCI_ENABLE);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean InterruptDisable(Object Context) {
        PlxExtension devExt = (PlxExtension) Context;
        int intCsr = READ_REGISTER_ULONG(devExt.Regs + INT_CSR);
        WRITE_REGISTER_ULONG(devExt.Regs + INT_CSR, intCsr & ~INT_CSR_PCI_ENABLE);
        return true;
    }

    private int PrepareHardware(PlxExtension devExt, CmResourceList resources) {
        int vector = -1;
        int level = 0;
        long affinity = 0;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypeMemory && devExt.Regs == 0) {
                devExt.Regs = MmMapIoSpace(d.u.Memory.Start, d.u.Memory.Length, MmNonCached);
                devExt.RegsLength = d.u.Memory.Length;
            } else if (d.Type == CmResourceTypeInterrupt) {
                vector = d.u.Interrupt.Vector;
                level = d.u.Interrupt.Level;
                affinity = d.u.Interrupt.Affinity;
            }
        }
        if (devExt.Regs == 0 || vector < 0) {
            return STATUS_DEVICE_NOT_READY;
        }
        DeviceDescription description = new DeviceDescription();
        description.Version = DEVICE_DESCRIPTION_VERSION2;
        description.Master = true;
        description.ScatterGather = true;
        description.Dma32BitAddresses = true;
        description.InterfaceType = PCIBus;
        description.MaximumLength = MAX_TRANSFER;
        Out<Integer> mapRegisters = new Out<>();
        devExt.Adapter = IoGetDmaAdapter(devExt.Pdo, description, mapRegisters);
        if (devExt.Adapter == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        devExt.MapRegisters = mapRegisters.value;
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptIsr, devExt.Self, null, vector, level, level,
                LevelSensitive, true, affinity, false);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        devExt.Interrupt = interrupt.value;
        IoInitializeDpcRequest(devExt.Self, this::DpcForIsr);
        KeSynchronizeExecution(devExt.Interrupt, this::InterruptEnable, devExt);
        return STATUS_SUCCESS;
    }

    private void ReleaseHardware(PlxExtension devExt) {
        if (devExt.Interrupt != null) {
            KeSynchronizeExecution(devExt.Interrupt, this::InterruptDisable, devExt);
            IoDisconnectInterrupt(devExt.Interrupt);
            devExt.Interrupt = null;
        }
        if (devExt.Adapter != null) {
            devExt.Adapter.DmaOperations.PutDmaAdapter(devExt.Adapter);
            devExt.Adapter = null;
        }
        if (devExt.Regs != 0) {
            MmUnmapIoSpace(devExt.Regs, devExt.RegsLength);
            devExt.Regs = 0;
        }
    }

    @Role(IoCompletionRoutine.class)
    int StartCompletion(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        PlxExtension devExt = (PlxExtension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE: {
                KEvent event = new KEvent();
                KeInitializeEvent(event, NotificationEvent, false);
                IoCopyCurrentIrpStackLocationToNext(Irp);
                IoSetCompletionRoutine(Irp, this::StartCompletion, event, true, true, true);
                status = IoCallDriver(devExt.LowerDevice, Irp);
                if (status == STATUS_PENDING) {
                    KeWaitForSingleObject(event, Executive, KernelMode, false, null);
                    status = Irp.IoStatus.Status;
                }
                if (NT_SUCCESS(status)) {
                    status = PrepareHardware(devExt, stack.Parameters.StartDevice.AllocatedResourcesTranslated);
                    if (!NT_SUCCESS(status)) {
                        ReleaseHardware(devExt);
                    }
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
            case IRP_MN_REMOVE_DEVICE:
                IoAcquireRemoveLock(devExt.RemoveLock, Irp);
                IoReleaseRemoveLockAndWait(devExt.RemoveLock, Irp);
                ReleaseHardware(devExt);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                status = IoCallDriver(devExt.LowerDevice, Irp);
                IoDetachDevice(devExt.LowerDevice);
                IoDeleteDevice(DeviceObject);
                return status;
            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(devExt.LowerDevice, Irp);
        }
    }
}
