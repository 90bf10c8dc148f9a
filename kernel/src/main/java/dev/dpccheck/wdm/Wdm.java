package dev.dpccheck.wdm;

import dev.dpccheck.wdm.spi.KernelBinding;
import dev.dpccheck.wdm.spi.KernelServices;

/**
 * The WDM routines and constants a driver calls, with their WDK names, parameter order and IRQL
 * contracts. Import it whole: {@code import static dev.dpccheck.wdm.Wdm.*;}.
 *
 * <p>Every routine carries the IRQL contract its WDK reference page states, as annotations that
 * mirror the SAL of the WDK headers; the Javadoc of each routine cites its page. The annotations
 * are the single source of truth: the analyzer reads them from the model and the kernel checks
 * them against the calling processor's IRQL on every call. The routines run only inside the
 * simulated kernel; called from any other thread they throw {@link IllegalStateException}.
 */
public final class Wdm {
    private Wdm() {
    }

    private static KernelServices K() {
        return KernelBinding.current();
    }

    // ---- IRQLs (AMD64 values) ----
    /** Threads run here; paged memory may be touched. */
    public static final int PASSIVE_LEVEL = 0;
    /** Asynchronous procedure calls are masked. */
    public static final int APC_LEVEL = 1;
    /** The dispatcher and DPCs run here; no paging, no waiting. */
    public static final int DISPATCH_LEVEL = 2;
    /** The lowest device IRQL (DIRQL) the simulated bus assigns. */
    public static final int DIRQL_MIN = 3;
    /** The highest device IRQL (DIRQL) the simulated bus assigns. */
    public static final int DIRQL_MAX = 11;
    /** The clock interrupt. */
    public static final int CLOCK_LEVEL = 13;
    /** Interprocessor interrupts. */
    public static final int IPI_LEVEL = 14;
    /** Power failure. */
    public static final int POWER_LEVEL = 14;
    /** Profiling. */
    public static final int PROFILE_LEVEL = 15;
    /** Everything masked. */
    public static final int HIGH_LEVEL = 15;

    // ---- NTSTATUS ----
    /** The operation succeeded. */
    public static final int STATUS_SUCCESS = 0x00000000;
    /** A wait timed out. */
    public static final int STATUS_TIMEOUT = 0x00000102;
    /** The operation will complete later. */
    public static final int STATUS_PENDING = 0x00000103;
    /** Completion routine: stop completing the IRP. */
    public static final int STATUS_MORE_PROCESSING_REQUIRED = 0xC0000016;
    /** The operation failed. */
    public static final int STATUS_UNSUCCESSFUL = 0xC0000001;
    /** The request is not valid for this device. */
    public static final int STATUS_INVALID_DEVICE_REQUEST = 0xC0000010;
    /** A parameter was not valid. */
    public static final int STATUS_INVALID_PARAMETER = 0xC000000D;
    /** The buffer is too small. */
    public static final int STATUS_BUFFER_TOO_SMALL = 0xC0000023;
    /** Not enough resources. */
    public static final int STATUS_INSUFFICIENT_RESOURCES = 0xC000009A;
    /** The device reported a data error. */
    public static final int STATUS_DEVICE_DATA_ERROR = 0xC000009C;
    /** The device is not ready. */
    public static final int STATUS_DEVICE_NOT_READY = 0xC00000A3;
    /** The operation is not supported. */
    public static final int STATUS_NOT_SUPPORTED = 0xC00000BB;
    /** The I/O operation timed out. */
    public static final int STATUS_IO_TIMEOUT = 0xC00000B5;
    /** The IRP was cancelled. */
    public static final int STATUS_CANCELLED = 0xC0000120;
    /** The device is being removed. */
    public static final int STATUS_DELETE_PENDING = 0xC0000056;
    /** The device is busy. */
    public static final int STATUS_DEVICE_BUSY = 0x80000011;

    /** NT_SUCCESS: true for success and informational codes. */
    public static boolean NT_SUCCESS(int Status) {
        return Status >= 0;
    }

    // ---- IRP major and minor function codes ----
    /** Open. */
    public static final int IRP_MJ_CREATE = 0x00;
    /** Close. */
    public static final int IRP_MJ_CLOSE = 0x02;
    /** Read. */
    public static final int IRP_MJ_READ = 0x03;
    /** Write. */
    public static final int IRP_MJ_WRITE = 0x04;
    /** IOCTL. */
    public static final int IRP_MJ_DEVICE_CONTROL = 0x0e;
    /** Internal IOCTL. */
    public static final int IRP_MJ_INTERNAL_DEVICE_CONTROL = 0x0f;
    /** Cleanup. */
    public static final int IRP_MJ_CLEANUP = 0x12;
    /** Power. */
    public static final int IRP_MJ_POWER = 0x16;
    /** WMI. */
    public static final int IRP_MJ_SYSTEM_CONTROL = 0x17;
    /** Plug and Play. */
    public static final int IRP_MJ_PNP = 0x1b;
    /** The highest major function code. */
    public static final int IRP_MJ_MAXIMUM_FUNCTION = 0x1b;
    /** PnP: start the device with the given resources. */
    public static final int IRP_MN_START_DEVICE = 0x00;
    /** PnP: may the device be removed? */
    public static final int IRP_MN_QUERY_REMOVE_DEVICE = 0x01;
    /** PnP: remove the device. */
    public static final int IRP_MN_REMOVE_DEVICE = 0x02;
    /** PnP: stop the device. */
    public static final int IRP_MN_STOP_DEVICE = 0x04;
    /** PnP: the device is gone. */
    public static final int IRP_MN_SURPRISE_REMOVAL = 0x17;

    // ---- priority boosts ----
    /** No priority boost. */
    public static final int IO_NO_INCREMENT = 0;
    /** Boost for disk I/O. */
    public static final int IO_DISK_INCREMENT = 1;
    /** Boost for serial I/O. */
    public static final int IO_SERIAL_INCREMENT = 2;

    // ---- device object flags, types, characteristics ----
    /** The device uses buffered I/O. */
    public static final int DO_BUFFERED_IO = 0x00000004;
    /** The device uses direct I/O. */
    public static final int DO_DIRECT_IO = 0x00000010;
    /** The device object is being initialized; AddDevice clears it. */
    public static final int DO_DEVICE_INITIALIZING = 0x00000080;
    /** Disk devices. */
    public static final int FILE_DEVICE_DISK = 0x00000007;
    /** Serial ports. */
    public static final int FILE_DEVICE_SERIAL_PORT = 0x0000001b;
    /** Devices of no other type. */
    public static final int FILE_DEVICE_UNKNOWN = 0x00000022;
    /** Secure open. */
    public static final int FILE_DEVICE_SECURE_OPEN = 0x00000100;

    // ---- IOCTL encoding ----
    /** Buffered transfer for IOCTLs. */
    public static final int METHOD_BUFFERED = 0;
    /** Any access. */
    public static final int FILE_ANY_ACCESS = 0;
    /** Read access. */
    public static final int FILE_READ_ACCESS = 1;

    /** CTL_CODE: builds an I/O control code. */
    public static int CTL_CODE(int DeviceType, int Function, int Method, int Access) {
        return (DeviceType << 16) | (Access << 14) | (Function << 2) | Method;
    }

    // ---- pool ----
    /** Nonpaged pool: resident, usable at any IRQL. */
    public static final int NonPagedPool = 0;
    /** Paged pool: usable at APC_LEVEL or below only. */
    public static final int PagedPool = 1;
    /** Nonpaged pool, not executable. */
    public static final int NonPagedPoolNx = 512;

    // ---- dispatcher objects ----
    /** KEVENT type: stays signaled until reset. */
    public static final int NotificationEvent = 0;
    /** KEVENT type: resets when one waiter is released. */
    public static final int SynchronizationEvent = 1;
    /** KTIMER type: stays signaled. */
    public static final int NotificationTimer = 0;
    /** KTIMER type: releases one waiter. */
    public static final int SynchronizationTimer = 1;
    /** Wait reason. */
    public static final int Executive = 0;
    /** Processor mode. */
    public static final int KernelMode = 0;
    /** Processor mode. */
    public static final int UserMode = 1;

    // ---- interrupts ----
    /** Level-sensitive interrupt. */
    public static final int LevelSensitive = 0;
    /** Latched (edge) interrupt. */
    public static final int Latched = 1;
    /** IO_CONNECT_INTERRUPT_PARAMETERS version for a fully specified connection. */
    public static final int CONNECT_FULLY_SPECIFIED = 1;

    // ---- resources ----
    /** Resource type: I/O ports. */
    public static final int CmResourceTypePort = 1;
    /** Resource type: interrupt. */
    public static final int CmResourceTypeInterrupt = 2;
    /** Resource type: memory-mapped registers. */
    public static final int CmResourceTypeMemory = 3;
    /** Resource type: DMA channel. */
    public static final int CmResourceTypeDma = 4;
    /** Memory caching type for MmMapIoSpace. */
    public static final int MmNonCached = 0;
    /** MDL mapping priority. */
    public static final int NormalPagePriority = 16;
    /** Bus type. */
    public static final int PCIBus = 5;

    // ---- DMA ----
    /** DEVICE_DESCRIPTION version. */
    public static final int DEVICE_DESCRIPTION_VERSION = 0;
    /** DEVICE_DESCRIPTION version 2. */
    public static final int DEVICE_DESCRIPTION_VERSION2 = 2;
    /** IO_ALLOCATION_ACTION: keep the adapter channel or controller. */
    public static final int KeepObject = 1;
    /** IO_ALLOCATION_ACTION: release the adapter channel or controller and the map registers. */
    public static final int DeallocateObject = 2;
    /** IO_ALLOCATION_ACTION: release the adapter channel but keep the map registers. */
    public static final int DeallocateObjectKeepRegisters = 3;
    /** The page size of the simulated machine. */
    public static final int PAGE_SIZE = 4096;
    /** log2 of PAGE_SIZE. */
    public static final int PAGE_SHIFT = 12;

    /**
     * ADDRESS_AND_SIZE_TO_SPAN_PAGES: the number of pages a buffer of {@code Size} bytes at
     * virtual address {@code Va} touches (the map registers a transfer of it needs).
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-address_and_size_to_span_pages
     */
    public static int ADDRESS_AND_SIZE_TO_SPAN_PAGES(long Va, long Size) {
        return (int) (((Va & (PAGE_SIZE - 1)) + Size + PAGE_SIZE - 1) >>> PAGE_SHIFT);
    }

    // ---- files ----
    /** Access right. */
    public static final int GENERIC_WRITE = 0x40000000;
    /** Access right. */
    public static final int SYNCHRONIZE = 0x00100000;
    /** File attribute. */
    public static final int FILE_ATTRIBUTE_NORMAL = 0x80;
    /** Create disposition. */
    public static final int FILE_OVERWRITE_IF = 5;
    /** Create disposition. */
    public static final int FILE_OPEN_IF = 3;
    /** Create option. */
    public static final int FILE_SYNCHRONOUS_IO_NONALERT = 0x20;
    /** Object attribute. */
    public static final int OBJ_KERNEL_HANDLE = 0x200;
    /** Object attribute. */
    public static final int OBJ_CASE_INSENSITIVE = 0x40;

    // ---- error log ----
    /** Error code: the device reported a data error. */
    public static final int IO_ERR_DRIVER_ERROR = 0xC0040004;
    /** Error code: the request timed out. */
    public static final int IO_ERR_TIMEOUT = 0xC0040009;
    /** Error code: a retry succeeded. */
    public static final int IO_ERR_RETRY_SUCCEEDED = 0x00040001;



    // ---- Device objects ----

    /**
     * Creates a device object; the device extension is a new instance of DeviceExtensionSize (the Java analog of {@code sizeof(DEVICE_EXTENSION)}), in nonpaged pool.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iocreatedevice
     */
    @IrqlRequiresMax(APC_LEVEL)
    public static int IoCreateDevice(DriverObject DriverObject, Class<?> DeviceExtensionSize, UnicodeString DeviceName, int DeviceType, int DeviceCharacteristics, boolean Exclusive, Out<DeviceObject> DeviceObject) {
        return K().IoCreateDevice(DriverObject, DeviceExtensionSize, DeviceName, DeviceType, DeviceCharacteristics, Exclusive, DeviceObject);
    }

    /**
     * Deletes a device object.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iodeletedevice
     */
    @IrqlRequiresMax(APC_LEVEL)
    public static void IoDeleteDevice(DeviceObject DeviceObject) {
        K().IoDeleteDevice(DeviceObject);
    }

    /**
     * Attaches SourceDevice on top of the stack TargetDevice is in; returns the device it attached to.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-ioattachdevicetodevicestack
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static DeviceObject IoAttachDeviceToDeviceStack(DeviceObject SourceDevice, DeviceObject TargetDevice) {
        return K().IoAttachDeviceToDeviceStack(SourceDevice, TargetDevice);
    }

    /**
     * Detaches the device attached above TargetDevice.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iodetachdevice
     */
    @IrqlRequiresMax(PASSIVE_LEVEL)
    public static void IoDetachDevice(DeviceObject TargetDevice) {
        K().IoDetachDevice(TargetDevice);
    }


    // ---- DPCs ----

    /**
     * Registers the DpcForIsr routine of a device object: initializes {@code DeviceObject.Dpc}.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-ioinitializedpcrequest
     */
    public static void IoInitializeDpcRequest(DeviceObject DeviceObject, IoDpcRoutine DpcRoutine) {
        K().IoInitializeDpcRequest(DeviceObject, DpcRoutine);
    }

    /**
     * Queues the device object's DpcForIsr routine from its ISR; does nothing when the DPC is already queued.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iorequestdpc
     */
    @IrqlRequiresMin(DIRQL_MIN)
    public static void IoRequestDpc(DeviceObject DeviceObject, Irp Irp, Object Context) {
        K().IoRequestDpc(DeviceObject, Irp, Context);
    }

    /**
     * Initializes a DPC object for a CustomDpc routine.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-keinitializedpc
     */
    public static void KeInitializeDpc(Kdpc Dpc, KDeferredRoutine DeferredRoutine, Object DeferredContext) {
        K().KeInitializeDpc(Dpc, DeferredRoutine, DeferredContext);
    }

    /**
     * Queues a DPC on the current processor; returns FALSE, queuing nothing, when it is already queued.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-keinsertqueuedpc
     */
    @IrqlRequiresMax(HIGH_LEVEL)
    public static boolean KeInsertQueueDpc(Kdpc Dpc, Object SystemArgument1, Object SystemArgument2) {
        return K().KeInsertQueueDpc(Dpc, SystemArgument1, SystemArgument2);
    }

    /**
     * Removes a DPC from its queue; returns FALSE when it was not queued.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-keremovequeuedpc
     */
    @IrqlRequiresMax(HIGH_LEVEL)
    public static boolean KeRemoveQueueDpc(Kdpc Dpc) {
        return K().KeRemoveQueueDpc(Dpc);
    }

    /**
     * Returns once every DPC queued on any processor when it was called has run.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-keflushqueueddpcs
     */
    @IrqlRequiresMax(PASSIVE_LEVEL)
    public static void KeFlushQueuedDpcs() {
        K().KeFlushQueuedDpcs();
    }


    // ---- Interrupts ----

    /**
     * Connects an ISR to an interrupt vector; from then on the device's interrupts run it.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-ioconnectinterrupt
     */
    @IrqlRequiresMax(PASSIVE_LEVEL)
    public static int IoConnectInterrupt(Out<KInterrupt> InterruptObject, KServiceRoutine ServiceRoutine, Object ServiceContext, KSpinLock SpinLock, int Vector, int Irql, int SynchronizeIrql, int InterruptMode, boolean ShareVector, long ProcessorEnableMask, boolean FloatingSave) {
        return K().IoConnectInterrupt(InterruptObject, ServiceRoutine, ServiceContext, SpinLock, Vector, Irql, SynchronizeIrql, InterruptMode, ShareVector, ProcessorEnableMask, FloatingSave);
    }

    /**
     * Connects an ISR (CONNECT_FULLY_SPECIFIED only).
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-ioconnectinterruptex
     */
    @IrqlRequiresMax(PASSIVE_LEVEL)
    public static int IoConnectInterruptEx(IoConnectInterruptParameters Parameters) {
        return K().IoConnectInterruptEx(Parameters);
    }

    /**
     * Disconnects an ISR.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iodisconnectinterrupt
     */
    @IrqlRequiresMax(PASSIVE_LEVEL)
    public static void IoDisconnectInterrupt(KInterrupt InterruptObject) {
        K().IoDisconnectInterrupt(InterruptObject);
    }

    /**
     * Runs a SynchCritSection routine at the interrupt's SynchronizeIrql holding its spin lock, so that it cannot run at the same time as the ISR; returns what the routine returns.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-kesynchronizeexecution
     */
    @IrqlRequiresMax(HIGH_LEVEL)
    public static boolean KeSynchronizeExecution(KInterrupt Interrupt, KSynchronizeRoutine SynchronizeRoutine, Object SynchronizeContext) {
        return K().KeSynchronizeExecution(Interrupt, SynchronizeRoutine, SynchronizeContext);
    }

    /**
     * Raises to the interrupt's SynchronizeIrql and acquires its spin lock; returns the previous IRQL.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-keacquireinterruptspinlock
     */
    @IrqlRequiresMax(HIGH_LEVEL)
    public static int KeAcquireInterruptSpinLock(KInterrupt Interrupt) {
        return K().KeAcquireInterruptSpinLock(Interrupt);
    }

    /**
     * Releases the interrupt spin lock and lowers to OldIrql.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-kereleaseinterruptspinlock
     */
    @IrqlRequiresMin(DIRQL_MIN)
    public static void KeReleaseInterruptSpinLock(KInterrupt Interrupt, @IrqlRestores int OldIrql) {
        K().KeReleaseInterruptSpinLock(Interrupt, OldIrql);
    }


    // ---- StartIo and the device queue ----

    /**
     * Calls StartIo with the IRP when the device is idle; otherwise inserts it in the device queue (by Key when given).
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iostartpacket
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static void IoStartPacket(DeviceObject DeviceObject, Irp Irp, Out<Integer> Key, DriverCancel CancelFunction) {
        K().IoStartPacket(DeviceObject, Irp, Key, CancelFunction);
    }

    /**
     * Takes the next IRP from the device queue and calls StartIo with it; when the queue is empty, marks the device idle.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iostartnextpacket
     */
    @IrqlRequires(DISPATCH_LEVEL)
    public static void IoStartNextPacket(DeviceObject DeviceObject, boolean Cancelable) {
        K().IoStartNextPacket(DeviceObject, Cancelable);
    }

    /**
     * Like IoStartNextPacket, taking the next IRP whose key is at least Key.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iostartnextpacketbykey
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static void IoStartNextPacketByKey(DeviceObject DeviceObject, boolean Cancelable, int Key) {
        K().IoStartNextPacketByKey(DeviceObject, Cancelable, Key);
    }

    /**
     * With DeferredStartIo, StartIo is never called recursively: an IoStartNextPacket inside StartIo is carried out when StartIo returns.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iosetstartioattributes
     */
    public static void IoSetStartIoAttributes(DeviceObject DeviceObject, boolean DeferredStartIo, boolean NonCancelable) {
        K().IoSetStartIoAttributes(DeviceObject, DeferredStartIo, NonCancelable);
    }


    // ---- IRPs ----

    /**
     * Marks the IRP pending: its dispatch routine will return STATUS_PENDING and complete it later.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iomarkirppending
     */
    public static void IoMarkIrpPending(Irp Irp) {
        K().IoMarkIrpPending(Irp);
    }

    /**
     * Completes the IRP with its IoStatus; the IRP then belongs to the I/O manager.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iocompleterequest
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static void IoCompleteRequest(Irp Irp, int PriorityBoost) {
        K().IoCompleteRequest(Irp, PriorityBoost);
    }

    /**
     * The caller's stack location of the IRP.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iogetcurrentirpstacklocation
     */
    public static IoStackLocation IoGetCurrentIrpStackLocation(Irp Irp) {
        return K().IoGetCurrentIrpStackLocation(Irp);
    }

    /**
     * The stack location of the next-lower driver.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iogetnextirpstacklocation
     */
    public static IoStackLocation IoGetNextIrpStackLocation(Irp Irp) {
        return K().IoGetNextIrpStackLocation(Irp);
    }

    /**
     * Copies the caller's stack location to the next-lower driver's, without the completion routine.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iocopycurrentirpstacklocationtonext
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static void IoCopyCurrentIrpStackLocationToNext(Irp Irp) {
        K().IoCopyCurrentIrpStackLocationToNext(Irp);
    }

    /**
     * Passes the caller's stack location to the next-lower driver unchanged.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-ioskipcurrentirpstacklocation
     */
    public static void IoSkipCurrentIrpStackLocation(Irp Irp) {
        K().IoSkipCurrentIrpStackLocation(Irp);
    }

    /**
     * Sends the IRP to the driver of DeviceObject.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iocalldriver
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static int IoCallDriver(DeviceObject DeviceObject, Irp Irp) {
        return K().IoCallDriver(DeviceObject, Irp);
    }

    /**
     * Sets the completion routine the I/O manager calls when the next-lower driver completes the IRP.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iosetcompletionroutine
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static void IoSetCompletionRoutine(Irp Irp, IoCompletionRoutine CompletionRoutine, Object Context, boolean InvokeOnSuccess, boolean InvokeOnError, boolean InvokeOnCancel) {
        K().IoSetCompletionRoutine(Irp, CompletionRoutine, Context, InvokeOnSuccess, InvokeOnError, InvokeOnCancel);
    }

    /**
     * Sets the IRP's Cancel routine; returns the previous one.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iosetcancelroutine
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static DriverCancel IoSetCancelRoutine(Irp Irp, DriverCancel CancelRoutine) {
        return K().IoSetCancelRoutine(Irp, CancelRoutine);
    }

    /**
     * Cancels an IRP: sets {@code Irp.Cancel} and, when the IRP has a Cancel routine, calls it at
     * DISPATCH_LEVEL holding the cancel spin lock; returns TRUE when it called one.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iocancelirp
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static boolean IoCancelIrp(Irp Irp) {
        return K().IoCancelIrp(Irp);
    }

    // ---- Cancel-safe IRP queues ----

    /**
     * Sets up a cancel-safe queue with the driver's routines that keep it.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iocsqinitialize
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static int IoCsqInitialize(IoCsq Csq, CsqInsertIrp CsqInsertIrp, CsqRemoveIrp CsqRemoveIrp,
            CsqPeekNextIrp CsqPeekNextIrp, CsqAcquireLock CsqAcquireLock, CsqReleaseLock CsqReleaseLock,
            CsqCompleteCanceledIrp CsqCompleteCanceledIrp) {
        return K().IoCsqInitialize(Csq, CsqInsertIrp, CsqRemoveIrp, CsqPeekNextIrp, CsqAcquireLock, CsqReleaseLock,
                CsqCompleteCanceledIrp);
    }

    /**
     * Marks the IRP pending and queues it, cancelable; {@code Context} (may be null) lets
     * {@link #IoCsqRemoveIrp} find it again. An IRP already cancelled is completed through the
     * queue's CsqCompleteCanceledIrp instead.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iocsqinsertirp
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static void IoCsqInsertIrp(IoCsq Csq, Irp Irp, IoCsqIrpContext Context) {
        K().IoCsqInsertIrp(Csq, Irp, Context);
    }

    /**
     * Takes the next IRP matching {@code PeekContext} off the queue, no longer cancelable; null when none is left.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iocsqremovenextirp
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static Irp IoCsqRemoveNextIrp(IoCsq Csq, Object PeekContext) {
        return K().IoCsqRemoveNextIrp(Csq, PeekContext);
    }

    /**
     * Takes the IRP queued with {@code Context} off the queue; null when it was cancelled (or removed) meanwhile.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iocsqremoveirp
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static Irp IoCsqRemoveIrp(IoCsq Csq, IoCsqIrpContext Context) {
        return K().IoCsqRemoveIrp(Csq, Context);
    }

    /**
     * Acquires the cancel spin lock, raising to DISPATCH_LEVEL.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-ioacquirecancelspinlock
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    @IrqlRaises(DISPATCH_LEVEL)
    public static void IoAcquireCancelSpinLock(@IrqlSaves Out<Integer> Irql) {
        K().IoAcquireCancelSpinLock(Irql);
    }

    /**
     * Releases the cancel spin lock and lowers to Irql.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-ioreleasecancelspinlock
     */
    @IrqlRequires(DISPATCH_LEVEL)
    public static void IoReleaseCancelSpinLock(@IrqlRestores int Irql) {
        K().IoReleaseCancelSpinLock(Irql);
    }


    // ---- Remove locks ----

    /**
     * Initializes a remove lock.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-ioinitializeremovelock
     */
    @IrqlRequiresMax(PASSIVE_LEVEL)
    public static void IoInitializeRemoveLock(IoRemoveLock Lock, int AllocateTag, int MaxLockedMinutes, int HighWatermark) {
        K().IoInitializeRemoveLock(Lock, AllocateTag, MaxLockedMinutes, HighWatermark);
    }

    /**
     * Acquires the remove lock; STATUS_DELETE_PENDING once removal has begun.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-ioacquireremovelock
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static int IoAcquireRemoveLock(IoRemoveLock RemoveLock, Object Tag) {
        return K().IoAcquireRemoveLock(RemoveLock, Tag);
    }

    /**
     * Releases a remove lock acquired with the same tag.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-ioreleaseremovelock
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static void IoReleaseRemoveLock(IoRemoveLock RemoveLock, Object Tag) {
        K().IoReleaseRemoveLock(RemoveLock, Tag);
    }

    /**
     * Releases the remove lock and waits until every other holder has released it.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-ioreleaseremovelockandwait
     */
    @IrqlRequiresMax(PASSIVE_LEVEL)
    public static void IoReleaseRemoveLockAndWait(IoRemoveLock RemoveLock, Object Tag) {
        K().IoReleaseRemoveLockAndWait(RemoveLock, Tag);
    }


    // ---- IoTimer ----

    /**
     * Associates an IoTimer routine with the device object.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-ioinitializetimer
     */
    @IrqlRequiresMax(PASSIVE_LEVEL)
    public static int IoInitializeTimer(DeviceObject DeviceObject, IoTimerRoutine TimerRoutine, Object Context) {
        return K().IoInitializeTimer(DeviceObject, TimerRoutine, Context);
    }

    /**
     * Starts calling the IoTimer routine once per second.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iostarttimer
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static void IoStartTimer(DeviceObject DeviceObject) {
        K().IoStartTimer(DeviceObject);
    }

    /**
     * Stops calling the IoTimer routine.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iostoptimer
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static void IoStopTimer(DeviceObject DeviceObject) {
        K().IoStopTimer(DeviceObject);
    }


    // ---- Error log ----

    /**
     * Allocates an error log entry; returns null when none is available.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-ioallocateerrorlogentry
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static IoErrorLogPacket IoAllocateErrorLogEntry(Object IoObject, int EntrySize) {
        return K().IoAllocateErrorLogEntry(IoObject, EntrySize);
    }

    /**
     * Queues the entry for the event log; it then belongs to the system.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iowriteerrorlogentry
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static void IoWriteErrorLogEntry(IoErrorLogPacket ElEntry) {
        K().IoWriteErrorLogEntry(ElEntry);
    }


    // ---- Controller objects ----

    /**
     * Creates a controller object with an extension that is a new instance of Size.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/ntddk/nf-ntddk-iocreatecontroller
     */
    @IrqlRequiresMax(PASSIVE_LEVEL)
    public static ControllerObject IoCreateController(Class<?> Size) {
        return K().IoCreateController(Size);
    }

    /**
     * Deletes a controller object.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/ntddk/nf-ntddk-iodeletecontroller
     */
    @IrqlRequiresMax(PASSIVE_LEVEL)
    public static void IoDeleteController(ControllerObject ControllerObject) {
        K().IoDeleteController(ControllerObject);
    }

    /**
     * Calls ExecutionRoutine once the controller is the caller's.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/ntddk/nf-ntddk-ioallocatecontroller
     */
    @IrqlRequires(DISPATCH_LEVEL)
    public static void IoAllocateController(ControllerObject ControllerObject, DeviceObject DeviceObject, DriverControl ExecutionRoutine, Object Context) {
        K().IoAllocateController(ControllerObject, DeviceObject, ExecutionRoutine, Context);
    }

    /**
     * Releases the controller to the next waiting device.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/ntddk/nf-ntddk-iofreecontroller
     */
    @IrqlRequires(DISPATCH_LEVEL)
    public static void IoFreeController(ControllerObject ControllerObject) {
        K().IoFreeController(ControllerObject);
    }


    // ---- DMA ----

    /**
     * Returns the DMA adapter of the device and the most map registers one transfer may use.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-iogetdmaadapter
     */
    @IrqlRequiresMax(PASSIVE_LEVEL)
    public static DmaAdapter IoGetDmaAdapter(DeviceObject PhysicalDeviceObject, DeviceDescription DeviceDescription, Out<Integer> NumberOfMapRegisters) {
        return K().IoGetDmaAdapter(PhysicalDeviceObject, DeviceDescription, NumberOfMapRegisters);
    }

    /**
     * Flushes the processor caches for the MDL's buffer: after a PIO read, makes what the driver wrote through the system address visible in the buffer.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-keflushiobuffers
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static void KeFlushIoBuffers(Mdl Mdl, boolean ReadOperation, boolean DmaOperation) {
        K().KeFlushIoBuffers(Mdl, ReadOperation, DmaOperation);
    }

    /**
     * The system-space buffer of an MDL.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-mmgetsystemaddressformdlsafe
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static byte[] MmGetSystemAddressForMdlSafe(Mdl Mdl, int Priority) {
        return K().MmGetSystemAddressForMdlSafe(Mdl, Priority);
    }

    /**
     * The virtual address of the MDL's buffer (StartVa + ByteOffset).
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-mmgetmdlvirtualaddress
     */
    public static long MmGetMdlVirtualAddress(Mdl Mdl) {
        return K().MmGetMdlVirtualAddress(Mdl);
    }

    /**
     * The length of the MDL's buffer.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-mmgetmdlbytecount
     */
    public static int MmGetMdlByteCount(Mdl Mdl) {
        return K().MmGetMdlByteCount(Mdl);
    }

    /**
     * Maps a physical register range to a virtual address for READ_REGISTER_ and WRITE_REGISTER_ routines.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-mmmapiospace
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static long MmMapIoSpace(long PhysicalAddress, int NumberOfBytes, int CacheType) {
        return K().MmMapIoSpace(PhysicalAddress, NumberOfBytes, CacheType);
    }

    /**
     * Unmaps a range mapped with MmMapIoSpace.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-mmunmapiospace
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static void MmUnmapIoSpace(long BaseAddress, int NumberOfBytes) {
        K().MmUnmapIoSpace(BaseAddress, NumberOfBytes);
    }


    // ---- IRQL ----

    /**
     * The current processor's IRQL.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-kegetcurrentirql
     */
    public static int KeGetCurrentIrql() {
        return K().KeGetCurrentIrql();
    }

    /**
     * Raises the IRQL to NewIrql, which must not be below the current IRQL.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-keraiseirql
     */
    public static void KeRaiseIrql(int NewIrql, @IrqlSaves Out<Integer> OldIrql) {
        K().KeRaiseIrql(NewIrql, OldIrql);
    }

    /**
     * Raises the IRQL to DISPATCH_LEVEL; returns the previous IRQL.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-keraiseirqltodpclevel
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    @IrqlRaises(DISPATCH_LEVEL)
    public static int KeRaiseIrqlToDpcLevel() {
        return K().KeRaiseIrqlToDpcLevel();
    }

    /**
     * Lowers the IRQL to a value a KeRaiseIrql saved.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-kelowerirql
     */
    public static void KeLowerIrql(@IrqlRestores int NewIrql) {
        K().KeLowerIrql(NewIrql);
    }


    // ---- Spin locks ----

    /**
     * Initializes a spin lock.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-keinitializespinlock
     */
    public static void KeInitializeSpinLock(KSpinLock SpinLock) {
        K().KeInitializeSpinLock(SpinLock);
    }

    /**
     * Raises to DISPATCH_LEVEL and acquires the spin lock.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-keacquirespinlock
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    @IrqlRaises(DISPATCH_LEVEL)
    public static void KeAcquireSpinLock(KSpinLock SpinLock, @IrqlSaves Out<Integer> OldIrql) {
        K().KeAcquireSpinLock(SpinLock, OldIrql);
    }

    /**
     * Releases the spin lock and lowers to NewIrql.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-kereleasespinlock
     */
    @IrqlRequires(DISPATCH_LEVEL)
    public static void KeReleaseSpinLock(KSpinLock SpinLock, @IrqlRestores int NewIrql) {
        K().KeReleaseSpinLock(SpinLock, NewIrql);
    }

    /**
     * Acquires the spin lock when already at DISPATCH_LEVEL or above.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-keacquirespinlockatdpclevel
     */
    @IrqlRequiresMin(DISPATCH_LEVEL)
    public static void KeAcquireSpinLockAtDpcLevel(KSpinLock SpinLock) {
        K().KeAcquireSpinLockAtDpcLevel(SpinLock);
    }

    /**
     * Releases a spin lock acquired with KeAcquireSpinLockAtDpcLevel.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-kereleasespinlockfromdpclevel
     */
    @IrqlRequiresMin(DISPATCH_LEVEL)
    public static void KeReleaseSpinLockFromDpcLevel(KSpinLock SpinLock) {
        K().KeReleaseSpinLockFromDpcLevel(SpinLock);
    }


    // ---- Events and waits ----

    /**
     * Initializes an event object.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-keinitializeevent
     */
    public static void KeInitializeEvent(KEvent Event, int Type, boolean State) {
        K().KeInitializeEvent(Event, Type, State);
    }

    /**
     * Signals the event; returns its previous state.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-kesetevent
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    @IrqlRequiresMaxWhen(value = APC_LEVEL, param = "Wait", when = IrqlRequiresMaxWhen.Condition.TRUE)
    public static int KeSetEvent(KEvent Event, int Increment, boolean Wait) {
        return K().KeSetEvent(Event, Increment, Wait);
    }

    /**
     * Resets the event.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-keclearevent
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static void KeClearEvent(KEvent Event) {
        K().KeClearEvent(Event);
    }

    /**
     * Waits until the object is signaled or the relative Timeout (100-ns units, negative; null for no timeout) elapses; STATUS_SUCCESS or STATUS_TIMEOUT.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-kewaitforsingleobject
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    @IrqlRequiresMaxWhen(value = APC_LEVEL, param = "Timeout", when = IrqlRequiresMaxWhen.Condition.NULL_OR_NONZERO)
    public static int KeWaitForSingleObject(Object Object, int WaitReason, int WaitMode, boolean Alertable, Long Timeout) {
        return K().KeWaitForSingleObject(Object, WaitReason, WaitMode, Alertable, Timeout);
    }


    // ---- Timers ----

    /**
     * Initializes a notification timer.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-keinitializetimer
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static void KeInitializeTimer(KTimer Timer) {
        K().KeInitializeTimer(Timer);
    }

    /**
     * Initializes a notification or synchronization timer.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-keinitializetimerex
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static void KeInitializeTimerEx(KTimer Timer, int Type) {
        K().KeInitializeTimerEx(Timer, Type);
    }

    /**
     * Sets the timer to expire at DueTime (negative: relative, in 100-ns units) and then queue Dpc; returns TRUE when it was already set.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-kesettimer
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static boolean KeSetTimer(KTimer Timer, long DueTime, Kdpc Dpc) {
        return K().KeSetTimer(Timer, DueTime, Dpc);
    }

    /**
     * Like KeSetTimer, then again every Period milliseconds.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-kesettimerex
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static boolean KeSetTimerEx(KTimer Timer, long DueTime, int Period, Kdpc Dpc) {
        return K().KeSetTimerEx(Timer, DueTime, Period, Dpc);
    }

    /**
     * Cancels the timer; returns TRUE when it was set.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-kecanceltimer
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static boolean KeCancelTimer(KTimer Timer) {
        return K().KeCancelTimer(Timer);
    }

    /**
     * Busy-waits on the current processor.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-kestallexecutionprocessor
     */
    @IrqlRequiresMax(HIGH_LEVEL)
    public static void KeStallExecutionProcessor(int MicroSeconds) {
        K().KeStallExecutionProcessor(MicroSeconds);
    }

    /**
     * Puts the current thread to sleep for Interval (negative: relative, in 100-ns units).
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-kedelayexecutionthread
     */
    @IrqlRequiresMax(APC_LEVEL)
    public static int KeDelayExecutionThread(int WaitMode, boolean Alertable, long Interval) {
        return K().KeDelayExecutionThread(WaitMode, Alertable, Interval);
    }


    // ---- Pool ----

    /**
     * Allocates a buffer from the pool; returns null when the pool is exhausted.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-exallocatepoolwithtag
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    @IrqlRequiresMaxWhen(value = APC_LEVEL, param = "PoolType", when = IrqlRequiresMaxWhen.Condition.EQUALS, operand = PagedPool)
    public static byte[] ExAllocatePoolWithTag(int PoolType, long NumberOfBytes, int Tag) {
        return K().ExAllocatePoolWithTag(PoolType, NumberOfBytes, Tag);
    }

    /**
     * Allocates a structure from the pool: a new instance of the class (the Java analog of {@code sizeof(T)}); returns null when the pool is exhausted.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-exallocatepoolwithtag
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    @IrqlRequiresMaxWhen(value = APC_LEVEL, param = "PoolType", when = IrqlRequiresMaxWhen.Condition.EQUALS, operand = PagedPool)
    public static <T> T ExAllocatePoolWithTag(int PoolType, Class<T> NumberOfBytes, int Tag) {
        return K().ExAllocatePoolWithTag(PoolType, NumberOfBytes, Tag);
    }

    /**
     * Frees a pool allocation.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-exfreepoolwithtag
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    public static void ExFreePoolWithTag(Object P, int Tag) {
        K().ExFreePoolWithTag(P, Tag);
    }


    // ---- Lists ----

    /**
     * Makes {@code ListHead} an empty list.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-initializelisthead
     */
    public static void InitializeListHead(ListEntry ListHead) {
        K().InitializeListHead(ListHead);
    }

    /**
     * Whether the list is empty.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-islistempty
     */
    public static boolean IsListEmpty(ListEntry ListHead) {
        return K().IsListEmpty(ListHead);
    }

    /**
     * Puts an entry at the end of the list.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-inserttaillist
     */
    public static void InsertTailList(ListEntry ListHead, ListEntry Entry) {
        K().InsertTailList(ListHead, Entry);
    }

    /**
     * Puts an entry at the front of the list.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-insertheadlist
     */
    public static void InsertHeadList(ListEntry ListHead, ListEntry Entry) {
        K().InsertHeadList(ListHead, Entry);
    }

    /**
     * Takes the first entry off the list and returns it; returns {@code ListHead} itself when the list is empty.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-removeheadlist
     */
    public static ListEntry RemoveHeadList(ListEntry ListHead) {
        return K().RemoveHeadList(ListHead);
    }

    /**
     * Takes the last entry off the list and returns it; returns {@code ListHead} itself when the list is empty.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-removetaillist
     */
    public static ListEntry RemoveTailList(ListEntry ListHead) {
        return K().RemoveTailList(ListHead);
    }

    /**
     * Takes an entry off the list it is on; returns TRUE when the list is empty afterwards.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-removeentrylist
     */
    public static boolean RemoveEntryList(ListEntry Entry) {
        return K().RemoveEntryList(Entry);
    }

    /**
     * Puts an entry at the end of the list holding {@code Lock} (which nothing else may take at a
     * higher IRQL); returns the entry that was last before, or null when the list was empty.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-exinterlockedinserttaillist
     */
    public static ListEntry ExInterlockedInsertTailList(ListEntry ListHead, ListEntry ListEntry, KSpinLock Lock) {
        return K().ExInterlockedInsertTailList(ListHead, ListEntry, Lock);
    }

    /**
     * Puts an entry at the front of the list holding {@code Lock}; returns the entry that was first before, or null.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-exinterlockedinsertheadlist
     */
    public static ListEntry ExInterlockedInsertHeadList(ListEntry ListHead, ListEntry ListEntry, KSpinLock Lock) {
        return K().ExInterlockedInsertHeadList(ListHead, ListEntry, Lock);
    }

    /**
     * Takes the first entry off the list holding {@code Lock}; returns null when the list is empty.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-exinterlockedremoveheadlist
     */
    public static ListEntry ExInterlockedRemoveHeadList(ListEntry ListHead, KSpinLock Lock) {
        return K().ExInterlockedRemoveHeadList(ListHead, Lock);
    }

    /**
     * CONTAINING_RECORD: the record of type {@code Type} that carries {@code Address} (made with
     * {@code new ListEntry(record)}); the IRP for {@code Irp.Tail.Overlay.ListEntry}.
     * See https://learn.microsoft.com/windows/win32/api/ntdef/nf-ntdef-containing_record
     */
    public static <T> T CONTAINING_RECORD(ListEntry Address, Class<T> Type) {
        return Type.cast(Address.record());
    }

    /**
     * CONTAINING_RECORD for a cancel-safe queue: the record (a device extension) that carries
     * {@code Address}, made with {@code new IoCsq(record)}.
     */
    public static <T> T CONTAINING_RECORD(IoCsq Address, Class<T> Type) {
        return Type.cast(Address.record());
    }

    // ---- Memory ----

    /**
     * Copies bytes; both buffers must be resident when the caller runs at DISPATCH_LEVEL or above.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-rtlcopymemory
     */
    public static void RtlCopyMemory(byte[] Destination, int DestinationOffset, byte[] Source, int SourceOffset, int Length) {
        K().RtlCopyMemory(Destination, DestinationOffset, Source, SourceOffset, Length);
    }

    /**
     * Zeroes bytes; the buffer must be resident when the caller runs at DISPATCH_LEVEL or above.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-rtlzeromemory
     */
    public static void RtlZeroMemory(byte[] Destination, int Offset, int Length) {
        K().RtlZeroMemory(Destination, Offset, Length);
    }


    // ---- Files ----

    /**
     * Fills in OBJECT_ATTRIBUTES.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-initializeobjectattributes
     */
    public static void InitializeObjectAttributes(ObjectAttributes InitializedAttributes, UnicodeString ObjectName, int Attributes, Handle RootDirectory, Object SecurityDescriptor) {
        K().InitializeObjectAttributes(InitializedAttributes, ObjectName, Attributes, RootDirectory, SecurityDescriptor);
    }

    /**
     * Creates or opens a file.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-zwcreatefile
     */
    @IrqlRequiresMax(PASSIVE_LEVEL)
    public static int ZwCreateFile(Out<Handle> FileHandle, int DesiredAccess, ObjectAttributes ObjectAttributes, IoStatusBlock IoStatusBlock, Long AllocationSize, int FileAttributes, int ShareAccess, int CreateDisposition, int CreateOptions, byte[] EaBuffer, int EaLength) {
        return K().ZwCreateFile(FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock, AllocationSize, FileAttributes, ShareAccess, CreateDisposition, CreateOptions, EaBuffer, EaLength);
    }

    /**
     * Writes to a file.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-zwwritefile
     */
    @IrqlRequiresMax(PASSIVE_LEVEL)
    public static int ZwWriteFile(Handle FileHandle, KEvent Event, Object ApcRoutine, Object ApcContext, IoStatusBlock IoStatusBlock, byte[] Buffer, int Length, Long ByteOffset, Integer Key) {
        return K().ZwWriteFile(FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock, Buffer, Length, ByteOffset, Key);
    }

    /**
     * Closes a handle.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-zwclose
     */
    @IrqlRequiresMax(PASSIVE_LEVEL)
    public static int ZwClose(Handle Handle) {
        return K().ZwClose(Handle);
    }


    // ---- Registers and ports ----

    /**
     * Reads a byte register.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-read_register_uchar
     */
    public static byte READ_REGISTER_UCHAR(long Register) {
        return K().READ_REGISTER_UCHAR(Register);
    }

    /**
     * Reads a 16-bit register.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-read_register_ushort
     */
    public static short READ_REGISTER_USHORT(long Register) {
        return K().READ_REGISTER_USHORT(Register);
    }

    /**
     * Reads a 32-bit register.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-read_register_ulong
     */
    public static int READ_REGISTER_ULONG(long Register) {
        return K().READ_REGISTER_ULONG(Register);
    }

    /**
     * Writes a byte register.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-write_register_uchar
     */
    public static void WRITE_REGISTER_UCHAR(long Register, byte Value) {
        K().WRITE_REGISTER_UCHAR(Register, Value);
    }

    /**
     * Writes a 16-bit register.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-write_register_ushort
     */
    public static void WRITE_REGISTER_USHORT(long Register, short Value) {
        K().WRITE_REGISTER_USHORT(Register, Value);
    }

    /**
     * Writes a 32-bit register.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-write_register_ulong
     */
    public static void WRITE_REGISTER_ULONG(long Register, int Value) {
        K().WRITE_REGISTER_ULONG(Register, Value);
    }

    /**
     * Reads a byte port.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-read_port_uchar
     */
    public static byte READ_PORT_UCHAR(long Port) {
        return K().READ_PORT_UCHAR(Port);
    }

    /**
     * Reads a 16-bit port.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-read_port_ushort
     */
    public static short READ_PORT_USHORT(long Port) {
        return K().READ_PORT_USHORT(Port);
    }

    /**
     * Reads a 32-bit port.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-read_port_ulong
     */
    public static int READ_PORT_ULONG(long Port) {
        return K().READ_PORT_ULONG(Port);
    }

    /**
     * Writes a byte port.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-write_port_uchar
     */
    public static void WRITE_PORT_UCHAR(long Port, byte Value) {
        K().WRITE_PORT_UCHAR(Port, Value);
    }

    /**
     * Writes a 16-bit port.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-write_port_ushort
     */
    public static void WRITE_PORT_USHORT(long Port, short Value) {
        K().WRITE_PORT_USHORT(Port, Value);
    }

    /**
     * Writes a 32-bit port.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-write_port_ulong
     */
    public static void WRITE_PORT_ULONG(long Port, int Value) {
        K().WRITE_PORT_ULONG(Port, Value);
    }


    // ---- Paged code ----

    /**
     * Asserts that the caller runs at APC_LEVEL or below, as pageable code must.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-paged_code
     */
    @IrqlRequiresMax(APC_LEVEL)
    public static void PAGED_CODE() {
        K().PAGED_CODE();
    }
}
