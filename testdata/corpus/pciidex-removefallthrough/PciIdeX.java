package corpus.pciidexremovefallthrough;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

import java.util.ArrayList;
import java.util.List;

/**
 * The controller half of a PCI IDE stack: an FDO for the ATA controller that reads the PCI header,
 * assigns the BARs from the start resources, chooses controller properties by vendor (falling
 * back to generic PCI IDE), detects simplex DMA and creates a controller object for it, and
 * enumerates one PDO per enabled channel. Every dispatch holds the remove lock of its device
 * object; a failed start frees whatever the start had claimed; remove waits for the lock, removes
 * the channels, frees the resources and deletes the FDO. Miniport start and stop run under the
 * controller's spin lock through small wrappers.
 * Re-expressed from: reactos/reactos/drivers/storage/ide/pciidex/fdo.c (structure and facts, not code).
 */
public final class PciIdeX {
    static final int TAG_PCIIDEX = 0x58494450;
    static final int FILE_DEVICE_CONTROLLER = 0x00000004;
    static final int IRP_MN_QUERY_DEVICE_RELATIONS = 0x07;
    static final int IRP_MN_QUERY_CAPABILITIES = 0x09;
    static final int IRP_MN_QUERY_ID = 0x13;
    static final int STATUS_IO_DEVICE_ERROR = 0xC0000185;
    static final int PCI_VEN_INTEL = 0x8086;
    static final int PCI_VEN_AMD = 0x1022;
    static final int PCI_CLASS_MASS_STORAGE_CTLR = 0x01;
    static final int PCI_SUBCLASS_MSC_IDE_CTLR = 0x01;
    static final int PCI_ENABLE_BUS_MASTER = 0x0004;
    static final int PCIIDE_PROGIF_PRIMARY_CHANNEL_NATIVE_MODE = 0x01;
    static final int PCIIDE_PROGIF_SECONDARY_CHANNEL_NATIVE_MODE = 0x04;
    static final int PCIIDE_PROGIF_DMA_CAPABLE = 0x80;
    static final int PCIIDE_DMA_IO_BAR = 4;
    static final int PCIIDE_DMA_STATUS = 2;
    static final int PCIIDE_DMA_STATUS_SIMPLEX = 0x80;
    static final long PCI_CONFIG_ADDRESS = 0xCF8;
    static final long PCI_CONFIG_DATA = 0xCFC;
    /** Serializes the two-port configuration mechanism, as the HAL does. */
    static final KSpinLock PciConfigLock = new KSpinLock();
    static int ControllerCount;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        KeInitializeSpinLock(PciConfigLock);
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        DriverObject.DriverUnload = this::Unload;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::DispatchPnp;
        DriverObject.MajorFunction[IRP_MJ_POWER] = this::DispatchPower;
        DriverObject.MajorFunction[IRP_MJ_SYSTEM_CONTROL] = this::DispatchWmi;
        return STATUS_SUCCESS;
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject PhysicalDeviceObject) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, FdoExtension.class,
                new UnicodeString("\\Device\\Ide\\PciIde" + ControllerCount), FILE_DEVICE_CONTROLLER,
                FILE_DEVICE_SECURE_OPEN, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        FdoExtension fdoExt = (FdoExtension) fdo.DeviceExtension;
        fdoExt.IsFDO = true;
        fdoExt.Self = fdo;
        fdoExt.PhysicalDeviceObject = PhysicalDeviceObject;
        fdoExt.ControllerNumber = ControllerCount++;
        IoInitializeRemoveLock(fdoExt.RemoveLock, TAG_PCIIDEX, 0, 0);
        KeInitializeSpinLock(fdoExt.Controller.Lock);
        KeInitializeEvent(fdoExt.PdoListSyncMutex, SynchronizationEvent, true);
        fdoExt.LowerDeviceObject = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (fdoExt.LowerDeviceObject == null) {
            IoDeleteDevice(fdo);
            return STATUS_DEVICE_NOT_READY;
        }
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    // ---- the controller ----

    /** Reads one dword of the controller's PCI configuration space. */
    private int PciReadConfig(AtaController controller, int offset) {
        int address = 0x80000000 | controller.BusNumber << 16 | controller.SlotNumber << 11 | (offset & 0xfc);
        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(PciConfigLock, irql);
        WRITE_PORT_ULONG(PCI_CONFIG_ADDRESS, address);
        int value = READ_PORT_ULONG(PCI_CONFIG_DATA);
        KeReleaseSpinLock(PciConfigLock, irql.value);
        return value;
    }

    private void CallStartController(AtaController controller) {
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(controller.Lock, oldIrql);
        // enable both channels' decoders and bus mastering
        int command = PciReadConfig(controller, 0x04) & 0xffff;
        WRITE_PORT_ULONG(PCI_CONFIG_DATA, command | PCI_ENABLE_BUS_MASTER | 0x1);
        KeReleaseSpinLock(controller.Lock, oldIrql.value);
    }

    private void CallStopController(AtaController controller) {
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(controller.Lock, oldIrql);
        int command = PciReadConfig(controller, 0x04) & 0xffff;
        WRITE_PORT_ULONG(PCI_CONFIG_DATA, command & ~PCI_ENABLE_BUS_MASTER);
        KeReleaseSpinLock(controller.Lock, oldIrql.value);
    }

    /** The BAR's base, mapping a memory BAR on first use; 0 if the BAR is missing or too short. */
    @Pageable
    private long GetBar(AtaController controller, int index, int minimumLength) {
        PAGED_CODE();
        AccessRange range = controller.AccessRange[index];
        if ((range.Flags & AccessRange.RANGE_IS_VALID) == 0) {
            return 0;
        }
        if (minimumLength != 0 && range.Length < minimumLength) {
            return 0;
        }
        if ((range.Flags & AccessRange.RANGE_IS_MEMORY) != 0 && (range.Flags & AccessRange.RANGE_IS_MAPPED) == 0) {
            range.Flags |= AccessRange.RANGE_IS_MAPPED;
            range.IoBase = MmMapIoSpace(range.IoBase, range.Length, MmNonCached);
        }
        return range.IoBase;
    }

    @Pageable
    private int CollectInformation(FdoExtension fdoExt, CmResourceList resources) {
        PAGED_CODE();
        AtaController controller = fdoExt.Controller;
        int id = PciReadConfig(controller, 0x00);
        if (id == -1) {
            return STATUS_IO_DEVICE_ERROR;
        }
        controller.VendorID = id & 0xffff;
        controller.DeviceID = id >>> 16;
        controller.Command = PciReadConfig(controller, 0x04) & 0xffff;
        int classCode = PciReadConfig(controller, 0x08);
        controller.ProgIf = (classCode >> 8) & 0xff;
        controller.SubClass = (classCode >> 16) & 0xff;
        controller.BaseClass = (classCode >> 24) & 0xff;
        if (resources == null) {
            return STATUS_SUCCESS;
        }
        int bar = 0;
        for (CmPartialResourceDescriptor desc : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (desc.Type == CmResourceTypeInterrupt) {
                controller.InterruptType = CmResourceTypeInterrupt;
                controller.InterruptVector = desc.u.Interrupt.Vector;
            } else if ((desc.Type == CmResourceTypePort || desc.Type == CmResourceTypeMemory) && bar < 6) {
                AccessRange range = controller.AccessRange[bar++];
                range.Flags = AccessRange.RANGE_IS_VALID;
                if (desc.Type == CmResourceTypeMemory) {
                    range.Flags |= AccessRange.RANGE_IS_MEMORY;
                    range.IoBase = desc.u.Memory.Start;
                    range.Length = desc.u.Memory.Length;
                } else {
                    range.IoBase = desc.u.Port.Start;
                    range.Length = desc.u.Port.Length;
                }
            }
        }
        return STATUS_SUCCESS;
    }

    @Pageable
    private int GetVendorProperties(AtaController controller) {
        PAGED_CODE();
        switch (controller.VendorID) {
            case PCI_VEN_INTEL:
            case PCI_VEN_AMD:
                controller.Flags |= AtaController.CTRL_FLAG_HAS_START;
                controller.MaxChannels = 2;
                return STATUS_SUCCESS;
            default:
                return STATUS_NOT_SUPPORTED;
        }
    }

    @Pageable
    private int StartPciController(AtaController controller) {
        PAGED_CODE();
        controller.Flags = AtaController.CTRL_FLAG_PCI_IDE;
        controller.MaxChannels = 2;
        if ((controller.Command & PCI_ENABLE_BUS_MASTER) == 0) {
            controller.Flags |= AtaController.CTRL_FLAG_PIO_ONLY;
        }
        int status = GetVendorProperties(controller);
        if (!NT_SUCCESS(status)) {
            if (controller.BaseClass != PCI_CLASS_MASS_STORAGE_CTLR) {
                return status;
            }
            // generic PCI IDE: no vendor start routine
            status = STATUS_SUCCESS;
        }
        if ((controller.ProgIf & PCIIDE_PROGIF_DMA_CAPABLE) == 0) {
            controller.Flags |= AtaController.CTRL_FLAG_PIO_ONLY;
        }
        if ((controller.ProgIf & PCIIDE_PROGIF_PRIMARY_CHANNEL_NATIVE_MODE) == 0
                || (controller.ProgIf & PCIIDE_PROGIF_SECONDARY_CHANNEL_NATIVE_MODE) == 0) {
            controller.Flags |= AtaController.CTRL_FLAG_IN_LEGACY_MODE;
        }
        if ((controller.Flags & AtaController.CTRL_FLAG_IN_LEGACY_MODE) == 0
                && controller.InterruptType != CmResourceTypeInterrupt) {
            // native mode needs the PCI interrupt
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        if ((controller.Flags & AtaController.CTRL_FLAG_PIO_ONLY) == 0) {
            long dmaBase = GetBar(controller, PCIIDE_DMA_IO_BAR, 16);
            if (dmaBase != 0 && (READ_PORT_UCHAR(dmaBase + PCIIDE_DMA_STATUS) & PCIIDE_DMA_STATUS_SIMPLEX) != 0) {
                controller.Flags |= AtaController.CTRL_FLAG_IS_SIMPLEX;
            }
        }
        if ((controller.Flags & AtaController.CTRL_FLAG_IS_SIMPLEX) != 0) {
            controller.HwSyncObject = IoCreateController(Object.class);
            if (controller.HwSyncObject == null) {
                return STATUS_INSUFFICIENT_RESOURCES;
            }
        }
        controller.ChanDataBlock = ExAllocatePoolWithTag(NonPagedPool, int[].class, TAG_PCIIDEX);
        if (controller.ChanDataBlock == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        if ((controller.Flags & AtaController.CTRL_FLAG_HAS_START) != 0) {
            CallStartController(controller);
        }
        return status;
    }

    /** Releases what StartDevice claimed; safe to call on a partly started controller. */
    @Pageable
    private void FreeResources(FdoExtension fdoExt) {
        PAGED_CODE();
        AtaController controller = fdoExt.Controller;
        if ((controller.Flags & AtaController.CTRL_FLAG_HAS_START) != 0) {
            CallStopController(controller);
        }
        for (AccessRange range : controller.AccessRange) {
            if ((range.Flags & AccessRange.RANGE_IS_VALID) != 0 && (range.Flags & AccessRange.RANGE_IS_MAPPED) != 0) {
                MmUnmapIoSpace(range.IoBase, range.Length);
            }
            range.Flags = 0;
        }
        if (controller.ChanDataBlock != null) {
            ExFreePoolWithTag(controller.ChanDataBlock, TAG_PCIIDEX);
            controller.ChanDataBlock = null;
        }
        if (controller.HwSyncObject != null) {
            IoDeleteController(controller.HwSyncObject);
            controller.HwSyncObject = null;
        }
        controller.Flags = 0;
        controller.InterruptType = 0;
    }

    @Pageable
    private int StartDevice(FdoExtension fdoExt, CmResourceList resourcesTranslated) {
        PAGED_CODE();
        int status = CollectInformation(fdoExt, resourcesTranslated);
        if (NT_SUCCESS(status)) {
            status = StartPciController(fdoExt.Controller);
        }
        if (!NT_SUCCESS(status)) {
            FreeResources(fdoExt);
        }
        return status;
    }

    // ---- channels ----

    /** A native-mode channel needs both of its BARs; a legacy channel is always there. */
    @Pageable
    private boolean ChannelEnabled(AtaController controller, int channel) {
        PAGED_CODE();
        if ((controller.Flags & AtaController.CTRL_FLAG_IN_LEGACY_MODE) != 0) {
            return true;
        }
        int barIndex = channel * 2;
        return (controller.AccessRange[barIndex].Flags & AccessRange.RANGE_IS_VALID) != 0
                && (controller.AccessRange[barIndex + 1].Flags & AccessRange.RANGE_IS_VALID) != 0;
    }

    @Pageable
    private PdoExtension CreateChannelPdo(FdoExtension fdoExt, int channel) {
        PAGED_CODE();
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(fdoExt.Self.DriverObject, PdoExtension.class,
                new UnicodeString("\\Device\\Ide\\PciIde" + fdoExt.ControllerNumber + "Channel" + channel),
                FILE_DEVICE_CONTROLLER, FILE_DEVICE_SECURE_OPEN, false, created);
        if (!NT_SUCCESS(status)) {
            return null;
        }
        DeviceObject pdo = created.value;
        PdoExtension pdoExt = (PdoExtension) pdo.DeviceExtension;
        pdoExt.IsFDO = false;
        pdoExt.Self = pdo;
        pdoExt.FdoExt = fdoExt;
        pdoExt.Channel = channel;
        IoInitializeRemoveLock(pdoExt.RemoveLock, TAG_PCIIDEX, 0, 0);
        pdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return pdoExt;
    }

    @Pageable
    private int QueryBusRelations(FdoExtension fdoExt, Irp Irp) {
        PAGED_CODE();
        AtaController controller = fdoExt.Controller;
        List<DeviceObject> relations = new ArrayList<>();
        KeWaitForSingleObject(fdoExt.PdoListSyncMutex, Executive, KernelMode, false, null);
        int channelBitmap = 0;
        for (PdoExtension pdoExt : fdoExt.PdoList) {
            channelBitmap |= 1 << pdoExt.Channel;
            if (!ChannelEnabled(controller, pdoExt.Channel)) {
                pdoExt.Flags |= PdoExtension.PDO_FLAG_NOT_PRESENT;
            }
        }
        for (int i = 0; i < controller.MaxChannels; i++) {
            if ((channelBitmap & (1 << i)) != 0 || !ChannelEnabled(controller, i)) {
                continue;
            }
            PdoExtension pdoExt = CreateChannelPdo(fdoExt, i);
            if (pdoExt == null) {
                // out of memory: answer with what we have
                continue;
            }
            fdoExt.PdoList.add(pdoExt);
        }
        for (PdoExtension pdoExt : fdoExt.PdoList) {
            if ((pdoExt.Flags & PdoExtension.PDO_FLAG_NOT_PRESENT) != 0) {
                pdoExt.Flags |= PdoExtension.PDO_FLAG_REPORTED_MISSING;
                continue;
            }
            relations.add(pdoExt.Self);
        }
        KeSetEvent(fdoExt.PdoListSyncMutex, IO_NO_INCREMENT, false);
        Irp.Tail.Overlay.DriverContext[0] = relations;
        return STATUS_SUCCESS;
    }

    // ---- PnP ----

    @Role(IoCompletionRoutine.class)
    int ForwardCompletion(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    /** IoForwardIrpSynchronously: false if the IRP could not be sent. */
    @Pageable
    private boolean ForwardIrpSynchronously(DeviceObject lower, Irp Irp) {
        PAGED_CODE();
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::ForwardCompletion, event, true, true, true);
        if (IoCallDriver(lower, Irp) == STATUS_PENDING) {
            KeWaitForSingleObject(event, Executive, KernelMode, false, null);
        }
        return true;
    }

    @Role(DriverDispatch.class)
    @Pageable
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        PAGED_CODE();
        CommonExtension common = (CommonExtension) DeviceObject.DeviceExtension;
        if (common.IsFDO) {
            return FdoDispatchPnp((FdoExtension) common, Irp);
        }
        return PdoDispatchPnp((PdoExtension) common, Irp); // expect: DoubleCompletion, IrpUsedAfterCompletion
    }

    @Pageable
    private int FdoDispatchPnp(FdoExtension fdoExt, Irp Irp) {
        PAGED_CODE();
        int status = IoAcquireRemoveLock(fdoExt.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoStackLocation ioStack = IoGetCurrentIrpStackLocation(Irp);
        switch (ioStack.MinorFunction) {
            case IRP_MN_START_DEVICE:
                if (!ForwardIrpSynchronously(fdoExt.LowerDeviceObject, Irp)) {
                    status = STATUS_UNSUCCESSFUL;
                } else {
                    status = Irp.IoStatus.Status;
                    if (NT_SUCCESS(status)) {
                        status = StartDevice(fdoExt, ioStack.Parameters.StartDevice.AllocatedResourcesTranslated);
                    }
                }
                return CompleteAndRelease(fdoExt, Irp, status);

            case IRP_MN_STOP_DEVICE:
                FreeResources(fdoExt);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                break;

            case IRP_MN_REMOVE_DEVICE:
                return FdoRemoveDevice(fdoExt, Irp);

            case IRP_MN_QUERY_DEVICE_RELATIONS:
                status = QueryBusRelations(fdoExt, Irp);
                if (!NT_SUCCESS(status)) {
                    return CompleteAndRelease(fdoExt, Irp, status);
                }
                Irp.IoStatus.Status = status;
                break;

            default:
                break;
        }
        IoSkipCurrentIrpStackLocation(Irp);
        status = IoCallDriver(fdoExt.LowerDeviceObject, Irp);
        IoReleaseRemoveLock(fdoExt.RemoveLock, Irp);
        return status;
    }

    private int CompleteAndRelease(CommonExtension common, Irp Irp, int status) {
        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        IoReleaseRemoveLock(common.RemoveLock, Irp);
        return status;
    }

    @Pageable
    private int FdoRemoveDevice(FdoExtension fdoExt, Irp Irp) {
        PAGED_CODE();
        IoReleaseRemoveLockAndWait(fdoExt.RemoveLock, Irp);
        KeWaitForSingleObject(fdoExt.PdoListSyncMutex, Executive, KernelMode, false, null);
        for (PdoExtension pdoExt : fdoExt.PdoList) {
            pdoExt.Flags |= PdoExtension.PDO_FLAG_REPORTED_MISSING;
            IoDeleteDevice(pdoExt.Self);
        }
        fdoExt.PdoList.clear();
        KeSetEvent(fdoExt.PdoListSyncMutex, IO_NO_INCREMENT, false);
        FreeResources(fdoExt);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoSkipCurrentIrpStackLocation(Irp);
        int status = IoCallDriver(fdoExt.LowerDeviceObject, Irp);
        IoDetachDevice(fdoExt.LowerDeviceObject);
        IoDeleteDevice(fdoExt.Self);
        return status;
    }

    @Pageable
    private int PdoDispatchPnp(PdoExtension pdoExt, Irp Irp) {
        PAGED_CODE();
        int status = IoAcquireRemoveLock(pdoExt.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoStackLocation ioStack = IoGetCurrentIrpStackLocation(Irp);
        switch (ioStack.MinorFunction) {
            case IRP_MN_START_DEVICE:
                pdoExt.Started = true;
                status = STATUS_SUCCESS;
                break;
            case IRP_MN_STOP_DEVICE:
                pdoExt.Started = false;
                status = STATUS_SUCCESS;
                break;
            case IRP_MN_SURPRISE_REMOVAL:
                pdoExt.Started = false;
                status = STATUS_SUCCESS;
                break;
            case IRP_MN_REMOVE_DEVICE:
                return PdoRemoveDevice(pdoExt, Irp);
            case IRP_MN_QUERY_DEVICE_RELATIONS:
            case IRP_MN_QUERY_ID:
            case IRP_MN_QUERY_CAPABILITIES:
            default:
                // nothing to add: keep what the PnP manager put there
                status = Irp.IoStatus.Status;
                break;
        }
        return CompleteAndRelease(pdoExt, Irp, status);
    }

    @Pageable
    private int PdoRemoveDevice(PdoExtension pdoExt, Irp Irp) {
        PAGED_CODE();
        FdoExtension fdoExt = pdoExt.FdoExt;
        pdoExt.Started = false;
        if ((pdoExt.Flags & PdoExtension.PDO_FLAG_REPORTED_MISSING) != 0) {
            IoReleaseRemoveLockAndWait(pdoExt.RemoveLock, Irp);
            KeWaitForSingleObject(fdoExt.PdoListSyncMutex, Executive, KernelMode, false, null);
            fdoExt.PdoList.remove(pdoExt);
            KeSetEvent(fdoExt.PdoListSyncMutex, IO_NO_INCREMENT, false);
            Irp.IoStatus.Status = STATUS_SUCCESS;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            IoDeleteDevice(pdoExt.Self);
        }
        // still on the bus: keep the PDO for a restart
        return CompleteAndRelease(pdoExt, Irp, STATUS_SUCCESS);
    }

    // ---- power and WMI ----

    @Role(DriverDispatch.class)
    int DispatchPower(DeviceObject DeviceObject, Irp Irp) {
        CommonExtension common = (CommonExtension) DeviceObject.DeviceExtension;
        int status = IoAcquireRemoveLock(common.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        if (common.IsFDO) {
            IoSkipCurrentIrpStackLocation(Irp);
            status = IoCallDriver(((FdoExtension) common).LowerDeviceObject, Irp);
            IoReleaseRemoveLock(common.RemoveLock, Irp);
            return status;
        }
        return CompleteAndRelease(common, Irp, STATUS_SUCCESS);
    }

    @Role(DriverDispatch.class)
    int DispatchWmi(DeviceObject DeviceObject, Irp Irp) {
        CommonExtension common = (CommonExtension) DeviceObject.DeviceExtension;
        if (common.IsFDO) {
            IoSkipCurrentIrpStackLocation(Irp);
            return IoCallDriver(((FdoExtension) common).LowerDeviceObject, Irp);
        }
        int status = Irp.IoStatus.Status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }
}
