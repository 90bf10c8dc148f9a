package corpus.toasterbusspinlock;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

import java.util.ArrayList;
import java.util.List;

/**
 * A software bus driver that enumerates toasters: an application plugs in and unplugs toasters
 * with IOCTLs on the bus FDO; each plugged toaster becomes a child PDO the bus creates, reports in
 * its bus relations, and deletes only after it has been reported missing and removed. The FDO
 * forwards PnP to the stack below; the PDOs are the bottom of their own stacks and complete PnP
 * IRPs themselves.
 * Re-expressed from: microsoft/Windows-driver-samples/general/toaster/toastDrv/kmdf/bus/dynamic/busenum.c and buspdo.c (structure and facts, not code).
 */
public final class ToasterBus {
    static final int TAG = 0x5375424d;
    static final int FILE_DEVICE_BUS_EXTENDER = 0x0000002a;
    static final int IRP_MN_QUERY_DEVICE_RELATIONS = 0x07;
    static final int IRP_MN_QUERY_ID = 0x13;
    static final int IRP_MN_CANCEL_REMOVE_DEVICE = 0x03;
    static final int IRP_MN_QUERY_STOP_DEVICE = 0x05;
    static final int IRP_MN_CANCEL_STOP_DEVICE = 0x06;
    static final int STATUS_NO_SUCH_DEVICE = 0xC000000E;
    static final int STATUS_OBJECT_NAME_EXISTS = 0x40000000;
    // CTL_CODE(FILE_DEVICE_BUS_EXTENDER, 0x0, 0x1, 0x2, METHOD_BUFFERED, FILE_READ_DATA)
    static final int IOCTL_BUSENUM_PLUGIN_HARDWARE = 0x002a4000;
    static final int IOCTL_BUSENUM_UNPLUG_HARDWARE = 0x002a4004;
    static final int IOCTL_BUSENUM_EJECT_HARDWARE = 0x002a4008;
    // device PnP states
    static final int NotStarted = 0;
    static final int Started = 1;
    static final int StopPending = 2;
    static final int Stopped = 3;
    static final int RemovePending = 4;
    static final int SurpriseRemovePending = 5;
    static final int Deleted = 6;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::CreateClose;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::DispatchPnP;
        DriverObject.MajorFunction[IRP_MJ_POWER] = this::DispatchPower;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = this::IoCtl;
        DriverObject.DriverUnload = this::Unload;
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        return STATUS_SUCCESS;
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject PhysicalDeviceObject) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, FdoExtension.class, null, FILE_DEVICE_BUS_EXTENDER,
                FILE_DEVICE_SECURE_OPEN, true, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject deviceObject = created.value;
        FdoExtension deviceData = (FdoExtension) deviceObject.DeviceExtension;
        deviceData.IsFDO = true;
        deviceData.Self = deviceObject;
        deviceData.UnderlyingPDO = PhysicalDeviceObject;
        deviceData.DevicePnPState = NotStarted;
        deviceData.PreviousPnPState = NotStarted;
        KeInitializeSpinLock(deviceData.ListLock);
        IoInitializeRemoveLock(deviceData.RemoveLock, TAG, 0, 0);
        deviceData.NextLowerDriver = IoAttachDeviceToDeviceStack(deviceObject, PhysicalDeviceObject);
        if (deviceData.NextLowerDriver == null) {
            IoDeleteDevice(deviceObject);
            return STATUS_NO_SUCH_DEVICE;
        }
        deviceObject.Flags |= DO_BUFFERED_IO;
        deviceObject.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int CreateClose(DeviceObject DeviceObject, Irp Irp) {
        CommonExtension common = (CommonExtension) DeviceObject.DeviceExtension;
        int status;
        if (!common.IsFDO) {
            status = STATUS_INVALID_DEVICE_REQUEST;
        } else if (common.DevicePnPState == Deleted) {
            status = STATUS_NO_SUCH_DEVICE;
        } else {
            status = STATUS_SUCCESS;
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    // ---- IOCTLs on the FDO ----

    @Role(DriverDispatch.class)
    int IoCtl(DeviceObject DeviceObject, Irp Irp) {
        CommonExtension common = (CommonExtension) DeviceObject.DeviceExtension;
        if (!common.IsFDO) {
            // the toasters' own stacks get no IOCTLs from the bus
            Irp.IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_INVALID_DEVICE_REQUEST;
        }
        FdoExtension fdoData = (FdoExtension) common;
        int status = IoAcquireRemoveLock(fdoData.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoStackLocation irpStack = IoGetCurrentIrpStackLocation(Irp);
        byte[] buffer = Irp.AssociatedIrp.SystemBuffer;
        int inlen = irpStack.Parameters.DeviceIoControl.InputBufferLength;
        status = STATUS_INVALID_PARAMETER;
        switch (irpStack.Parameters.DeviceIoControl.IoControlCode) {
            case IOCTL_BUSENUM_PLUGIN_HARDWARE:
                // serial number (4 bytes) followed by the hardware IDs, double-NUL terminated
                if (inlen > 6 && buffer[inlen - 1] == 0 && buffer[inlen - 2] == 0) {
                    status = PlugInDevice(fdoData, SerialNo(buffer), HardwareIds(buffer, inlen));
                }
                break;
            case IOCTL_BUSENUM_UNPLUG_HARDWARE:
                if (inlen == 4) {
                    status = UnPlugDevice(fdoData, SerialNo(buffer));
                }
                break;
            case IOCTL_BUSENUM_EJECT_HARDWARE:
                if (inlen == 4) {
                    status = EjectDevice(fdoData, SerialNo(buffer));
                }
                break;
            default:
                break;
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT); // expect: SpinLockSafe
        IoReleaseRemoveLock(fdoData.RemoveLock, Irp);
        return status; // expect: IrqlNotRestored, SpinLock
    }

    static int SerialNo(byte[] b) {
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    static String HardwareIds(byte[] b, int length) {
        StringBuilder ids = new StringBuilder();
        for (int i = 4; i < length - 2; i++) {
            ids.append((char) b[i]);
        }
        return ids.toString();
    }

    /** Creates the child PDO for a newly plugged toaster; the serial number must be new and non-zero. */
    private int PlugInDevice(FdoExtension fdoData, int serialNo, String hardwareIds) {
        if (serialNo == 0) {
            return STATUS_INVALID_PARAMETER;
        }
        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(fdoData.ListLock, irql);
        for (PdoExtension pdoData : fdoData.ListOfPDOs) {
            if (pdoData.SerialNo == serialNo && pdoData.DevicePnPState != Deleted) {
                return STATUS_INVALID_PARAMETER;
            }
        }
        KeReleaseSpinLock(fdoData.ListLock, irql.value);

        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(fdoData.Self.DriverObject, PdoExtension.class, null, FILE_DEVICE_BUS_EXTENDER,
                FILE_DEVICE_SECURE_OPEN, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject pdo = created.value;
        PdoExtension pdoData = (PdoExtension) pdo.DeviceExtension;
        pdoData.IsFDO = false;
        pdoData.Self = pdo;
        pdoData.ParentFdo = fdoData.Self;
        pdoData.SerialNo = serialNo;
        pdoData.HardwareIDs = hardwareIds;
        pdoData.Present = true;
        pdoData.ReportedMissing = false;
        pdoData.DevicePnPState = NotStarted;
        pdoData.PreviousPnPState = NotStarted;
        pdo.Flags &= ~DO_DEVICE_INITIALIZING;

        KeAcquireSpinLock(fdoData.ListLock, irql);
        fdoData.ListOfPDOs.add(pdoData);
        fdoData.NumPDOs++;
        KeReleaseSpinLock(fdoData.ListLock, irql.value);
        // here the bus would call IoInvalidateDeviceRelations(BusRelations)
        return STATUS_SUCCESS;
    }

    /** Marks one toaster (or, for serial number 0, every toaster) as gone from the bus. */
    private int UnPlugDevice(FdoExtension fdoData, int serialNo) {
        boolean found = false;
        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(fdoData.ListLock, irql);
        for (PdoExtension pdoData : fdoData.ListOfPDOs) {
            if (serialNo == 0 || pdoData.SerialNo == serialNo) {
                pdoData.Present = false;
                found = true;
            }
        }
        KeReleaseSpinLock(fdoData.ListLock, irql.value);
        return found || serialNo == 0 ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
    }

    private int EjectDevice(FdoExtension fdoData, int serialNo) {
        int status = STATUS_INVALID_PARAMETER;
        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(fdoData.ListLock, irql);
        for (PdoExtension pdoData : fdoData.ListOfPDOs) {
            if (pdoData.SerialNo == serialNo && pdoData.Present) {
                // here the bus would call IoRequestDeviceEject on the PDO
                status = STATUS_SUCCESS;
                break;
            }
        }
        KeReleaseSpinLock(fdoData.ListLock, irql.value);
        return status;
    }

    // ---- PnP ----

    @Role(DriverDispatch.class)
    @Pageable
    int DispatchPnP(DeviceObject DeviceObject, Irp Irp) {
        PAGED_CODE();
        CommonExtension common = (CommonExtension) DeviceObject.DeviceExtension;
        if (common.DevicePnPState == Deleted) {
            Irp.IoStatus.Status = STATUS_NO_SUCH_DEVICE;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_NO_SUCH_DEVICE;
        }
        if (common.IsFDO) {
            return FdoPnP(DeviceObject, Irp, (FdoExtension) common);
        }
        return PdoPnP(DeviceObject, Irp, (PdoExtension) common);
    }

    @Role(IoCompletionRoutine.class)
    int CompletionRoutine(DeviceObject DeviceObject, Irp Irp, Object Context) {
        if (Irp.PendingReturned) {
            KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        }
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    /** Sends the IRP down and waits for the lower drivers to finish with it. */
    @Pageable
    private int SendIrpSynchronously(DeviceObject lower, Irp Irp) {
        PAGED_CODE();
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::CompletionRoutine, event, true, true, true);
        int status = IoCallDriver(lower, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(event, Executive, KernelMode, false, null);
            status = Irp.IoStatus.Status;
        }
        return status;
    }

    @Pageable
    private int FdoPnP(DeviceObject DeviceObject, Irp Irp, FdoExtension deviceData) {
        PAGED_CODE();
        int status = IoAcquireRemoveLock(deviceData.RemoveLock, Irp);
        if (!NT_SUCCESS(status)) {
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoStackLocation irpStack = IoGetCurrentIrpStackLocation(Irp);
        switch (irpStack.MinorFunction) {
            case IRP_MN_START_DEVICE:
                status = SendIrpSynchronously(deviceData.NextLowerDriver, Irp);
                if (NT_SUCCESS(status)) {
                    // a real bus would read its resources and power the bus up here
                    SetNewPnpState(deviceData, Started);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                IoReleaseRemoveLock(deviceData.RemoveLock, Irp);
                return status;

            case IRP_MN_QUERY_STOP_DEVICE:
                SetNewPnpState(deviceData, StopPending);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                break;

            case IRP_MN_CANCEL_STOP_DEVICE:
                if (deviceData.DevicePnPState == StopPending) {
                    RestorePreviousPnpState(deviceData);
                }
                Irp.IoStatus.Status = STATUS_SUCCESS;
                break;

            case IRP_MN_STOP_DEVICE:
                SetNewPnpState(deviceData, Stopped);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                break;

            case IRP_MN_QUERY_REMOVE_DEVICE:
                SetNewPnpState(deviceData, RemovePending);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                break;

            case IRP_MN_CANCEL_REMOVE_DEVICE:
                if (deviceData.DevicePnPState == RemovePending) {
                    RestorePreviousPnpState(deviceData);
                }
                Irp.IoStatus.Status = STATUS_SUCCESS;
                break;

            case IRP_MN_SURPRISE_REMOVAL:
                SetNewPnpState(deviceData, SurpriseRemovePending);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                break;

            case IRP_MN_REMOVE_DEVICE: {
                SetNewPnpState(deviceData, Deleted);
                // wait for every outstanding request, then delete the children still on the list
                IoReleaseRemoveLockAndWait(deviceData.RemoveLock, Irp);
                DeleteChildren(deviceData);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                status = IoCallDriver(deviceData.NextLowerDriver, Irp);
                IoDetachDevice(deviceData.NextLowerDriver);
                IoDeleteDevice(DeviceObject);
                return status;
            }

            case IRP_MN_QUERY_DEVICE_RELATIONS:
                // bus relations: the present toasters; the rest are reported missing by being left out
                ReportChildren(deviceData, Irp);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                break;

            default:
                break;
        }
        IoSkipCurrentIrpStackLocation(Irp);
        status = IoCallDriver(deviceData.NextLowerDriver, Irp);
        IoReleaseRemoveLock(deviceData.RemoveLock, Irp);
        return status;
    }

    private void ReportChildren(FdoExtension deviceData, Irp Irp) {
        List<DeviceObject> relations = new ArrayList<>();
        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(deviceData.ListLock, irql);
        for (PdoExtension pdoData : deviceData.ListOfPDOs) {
            if (pdoData.Present) {
                relations.add(pdoData.Self);
            } else {
                pdoData.ReportedMissing = true;
            }
        }
        KeReleaseSpinLock(deviceData.ListLock, irql.value);
        Irp.Tail.Overlay.DriverContext[0] = relations;
    }

    /** The FDO is going away: every child goes with it. */
    @Pageable
    private void DeleteChildren(FdoExtension deviceData) {
        PAGED_CODE();
        List<PdoExtension> doomed = new ArrayList<>();
        Out<Integer> irql = new Out<>();
        KeAcquireSpinLock(deviceData.ListLock, irql);
        doomed.addAll(deviceData.ListOfPDOs);
        deviceData.ListOfPDOs.clear();
        deviceData.NumPDOs = 0;
        KeReleaseSpinLock(deviceData.ListLock, irql.value);
        for (PdoExtension pdoData : doomed) {
            pdoData.Present = false;
            SetNewPnpState(pdoData, Deleted);
            IoDeleteDevice(pdoData.Self);
        }
    }

    @Pageable
    private int PdoPnP(DeviceObject DeviceObject, Irp Irp, PdoExtension deviceData) {
        PAGED_CODE();
        IoStackLocation irpStack = IoGetCurrentIrpStackLocation(Irp);
        int status;
        switch (irpStack.MinorFunction) {
            case IRP_MN_START_DEVICE:
                SetNewPnpState(deviceData, Started);
                status = STATUS_SUCCESS;
                break;
            case IRP_MN_STOP_DEVICE:
                SetNewPnpState(deviceData, Stopped);
                status = STATUS_SUCCESS;
                break;
            case IRP_MN_QUERY_STOP_DEVICE:
                SetNewPnpState(deviceData, StopPending);
                status = STATUS_SUCCESS;
                break;
            case IRP_MN_CANCEL_STOP_DEVICE:
                if (deviceData.DevicePnPState == StopPending) {
                    RestorePreviousPnpState(deviceData);
                }
                status = STATUS_SUCCESS;
                break;
            case IRP_MN_QUERY_REMOVE_DEVICE:
                SetNewPnpState(deviceData, RemovePending);
                status = STATUS_SUCCESS;
                break;
            case IRP_MN_CANCEL_REMOVE_DEVICE:
                if (deviceData.DevicePnPState == RemovePending) {
                    RestorePreviousPnpState(deviceData);
                }
                status = STATUS_SUCCESS;
                break;
            case IRP_MN_SURPRISE_REMOVAL:
                SetNewPnpState(deviceData, SurpriseRemovePending);
                status = STATUS_SUCCESS;
                break;
            case IRP_MN_REMOVE_DEVICE:
                // a child is deleted only once the bus has reported it missing; otherwise it stays for a restart
                if (deviceData.ReportedMissing) {
                    FdoExtension fdoData = (FdoExtension) deviceData.ParentFdo.DeviceExtension;
                    Out<Integer> irql = new Out<>();
                    KeAcquireSpinLock(fdoData.ListLock, irql);
                    fdoData.ListOfPDOs.remove(deviceData);
                    fdoData.NumPDOs--;
                    KeReleaseSpinLock(fdoData.ListLock, irql.value);
                    SetNewPnpState(deviceData, Deleted);
                    Irp.IoStatus.Status = STATUS_SUCCESS;
                    IoCompleteRequest(Irp, IO_NO_INCREMENT);
                    IoDeleteDevice(DeviceObject);
                    return STATUS_SUCCESS;
                }
                if (deviceData.Present) {
                    SetNewPnpState(deviceData, NotStarted);
                }
                status = STATUS_SUCCESS;
                break;
            case IRP_MN_QUERY_ID:
                status = QueryId(deviceData, Irp);
                break;
            default:
                // not handled: leave what the PnP manager put there
                status = Irp.IoStatus.Status;
                break;
        }
        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    private int QueryId(PdoExtension deviceData, Irp Irp) {
        if (deviceData.HardwareIDs == null || deviceData.HardwareIDs.isEmpty()) {
            return Irp.IoStatus.Status;
        }
        Irp.Tail.Overlay.DriverContext[0] = deviceData.HardwareIDs;
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int DispatchPower(DeviceObject DeviceObject, Irp Irp) {
        CommonExtension common = (CommonExtension) DeviceObject.DeviceExtension;
        if (common.IsFDO) {
            FdoExtension fdoData = (FdoExtension) common;
            IoSkipCurrentIrpStackLocation(Irp);
            return IoCallDriver(fdoData.NextLowerDriver, Irp);
        }
        // the PDO is the power policy's bottom: accept every state change
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    static void SetNewPnpState(CommonExtension common, int state) {
        common.PreviousPnPState = common.DevicePnPState;
        common.DevicePnPState = state;
    }

    static void RestorePreviousPnpState(CommonExtension common) {
        common.DevicePnPState = common.PreviousPnPState;
    }
}
