package dev.dpccheck.wdm.spi;

import dev.dpccheck.wdm.*;

/**
 * What the {@link dev.dpccheck.wdm.Wdm} facade calls: one method per routine, with the same name
 * and parameters. The simulated kernel implements it; the API never sees the implementation.
 * The IRQL contracts live on the facade, not here.
 */
public interface KernelServices {
    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoCreateDevice}. */
    int IoCreateDevice(DriverObject DriverObject, Class<?> DeviceExtensionSize, UnicodeString DeviceName, int DeviceType, int DeviceCharacteristics, boolean Exclusive, Out<DeviceObject> DeviceObject);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoDeleteDevice}. */
    void IoDeleteDevice(DeviceObject DeviceObject);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoAttachDeviceToDeviceStack}. */
    DeviceObject IoAttachDeviceToDeviceStack(DeviceObject SourceDevice, DeviceObject TargetDevice);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoDetachDevice}. */
    void IoDetachDevice(DeviceObject TargetDevice);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoInitializeDpcRequest}. */
    void IoInitializeDpcRequest(DeviceObject DeviceObject, IoDpcRoutine DpcRoutine);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoRequestDpc}. */
    void IoRequestDpc(DeviceObject DeviceObject, Irp Irp, Object Context);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeInitializeDpc}. */
    void KeInitializeDpc(Kdpc Dpc, KDeferredRoutine DeferredRoutine, Object DeferredContext);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeInsertQueueDpc}. */
    boolean KeInsertQueueDpc(Kdpc Dpc, Object SystemArgument1, Object SystemArgument2);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeRemoveQueueDpc}. */
    boolean KeRemoveQueueDpc(Kdpc Dpc);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoConnectInterrupt}. */
    int IoConnectInterrupt(Out<KInterrupt> InterruptObject, KServiceRoutine ServiceRoutine, Object ServiceContext, KSpinLock SpinLock, int Vector, int Irql, int SynchronizeIrql, int InterruptMode, boolean ShareVector, long ProcessorEnableMask, boolean FloatingSave);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoConnectInterruptEx}. */
    int IoConnectInterruptEx(IoConnectInterruptParameters Parameters);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoDisconnectInterrupt}. */
    void IoDisconnectInterrupt(KInterrupt InterruptObject);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeSynchronizeExecution}. */
    boolean KeSynchronizeExecution(KInterrupt Interrupt, KSynchronizeRoutine SynchronizeRoutine, Object SynchronizeContext);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeAcquireInterruptSpinLock}. */
    int KeAcquireInterruptSpinLock(KInterrupt Interrupt);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeReleaseInterruptSpinLock}. */
    void KeReleaseInterruptSpinLock(KInterrupt Interrupt, int OldIrql);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoStartPacket}. */
    void IoStartPacket(DeviceObject DeviceObject, Irp Irp, Out<Integer> Key, DriverCancel CancelFunction);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoStartNextPacket}. */
    void IoStartNextPacket(DeviceObject DeviceObject, boolean Cancelable);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoStartNextPacketByKey}. */
    void IoStartNextPacketByKey(DeviceObject DeviceObject, boolean Cancelable, int Key);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoSetStartIoAttributes}. */
    void IoSetStartIoAttributes(DeviceObject DeviceObject, boolean DeferredStartIo, boolean NonCancelable);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoMarkIrpPending}. */
    void IoMarkIrpPending(Irp Irp);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoCompleteRequest}. */
    void IoCompleteRequest(Irp Irp, int PriorityBoost);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoGetCurrentIrpStackLocation}. */
    IoStackLocation IoGetCurrentIrpStackLocation(Irp Irp);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoGetNextIrpStackLocation}. */
    IoStackLocation IoGetNextIrpStackLocation(Irp Irp);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoCopyCurrentIrpStackLocationToNext}. */
    void IoCopyCurrentIrpStackLocationToNext(Irp Irp);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoSkipCurrentIrpStackLocation}. */
    void IoSkipCurrentIrpStackLocation(Irp Irp);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoCallDriver}. */
    int IoCallDriver(DeviceObject DeviceObject, Irp Irp);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoSetCompletionRoutine}. */
    void IoSetCompletionRoutine(Irp Irp, IoCompletionRoutine CompletionRoutine, Object Context, boolean InvokeOnSuccess, boolean InvokeOnError, boolean InvokeOnCancel);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoSetCancelRoutine}. */
    DriverCancel IoSetCancelRoutine(Irp Irp, DriverCancel CancelRoutine);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoAcquireCancelSpinLock}. */
    void IoAcquireCancelSpinLock(Out<Integer> Irql);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoReleaseCancelSpinLock}. */
    void IoReleaseCancelSpinLock(int Irql);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoInitializeRemoveLock}. */
    void IoInitializeRemoveLock(IoRemoveLock Lock, int AllocateTag, int MaxLockedMinutes, int HighWatermark);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoAcquireRemoveLock}. */
    int IoAcquireRemoveLock(IoRemoveLock RemoveLock, Object Tag);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoReleaseRemoveLock}. */
    void IoReleaseRemoveLock(IoRemoveLock RemoveLock, Object Tag);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoReleaseRemoveLockAndWait}. */
    void IoReleaseRemoveLockAndWait(IoRemoveLock RemoveLock, Object Tag);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoInitializeTimer}. */
    int IoInitializeTimer(DeviceObject DeviceObject, IoTimerRoutine TimerRoutine, Object Context);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoStartTimer}. */
    void IoStartTimer(DeviceObject DeviceObject);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoStopTimer}. */
    void IoStopTimer(DeviceObject DeviceObject);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoAllocateErrorLogEntry}. */
    IoErrorLogPacket IoAllocateErrorLogEntry(Object IoObject, int EntrySize);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoWriteErrorLogEntry}. */
    void IoWriteErrorLogEntry(IoErrorLogPacket ElEntry);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoCreateController}. */
    ControllerObject IoCreateController(Class<?> Size);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoDeleteController}. */
    void IoDeleteController(ControllerObject ControllerObject);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoAllocateController}. */
    void IoAllocateController(ControllerObject ControllerObject, DeviceObject DeviceObject, DriverControl ExecutionRoutine, Object Context);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoFreeController}. */
    void IoFreeController(ControllerObject ControllerObject);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoGetDmaAdapter}. */
    DmaAdapter IoGetDmaAdapter(DeviceObject PhysicalDeviceObject, DeviceDescription DeviceDescription, Out<Integer> NumberOfMapRegisters);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeFlushIoBuffers}. */
    void KeFlushIoBuffers(Mdl Mdl, boolean ReadOperation, boolean DmaOperation);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#MmGetSystemAddressForMdlSafe}. */
    byte[] MmGetSystemAddressForMdlSafe(Mdl Mdl, int Priority);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#MmGetMdlVirtualAddress}. */
    long MmGetMdlVirtualAddress(Mdl Mdl);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#MmGetMdlByteCount}. */
    int MmGetMdlByteCount(Mdl Mdl);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#MmMapIoSpace}. */
    long MmMapIoSpace(long PhysicalAddress, int NumberOfBytes, int CacheType);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#MmUnmapIoSpace}. */
    void MmUnmapIoSpace(long BaseAddress, int NumberOfBytes);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeGetCurrentIrql}. */
    int KeGetCurrentIrql();

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeRaiseIrql}. */
    void KeRaiseIrql(int NewIrql, Out<Integer> OldIrql);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeRaiseIrqlToDpcLevel}. */
    int KeRaiseIrqlToDpcLevel();

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeLowerIrql}. */
    void KeLowerIrql(int NewIrql);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeInitializeSpinLock}. */
    void KeInitializeSpinLock(KSpinLock SpinLock);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeAcquireSpinLock}. */
    void KeAcquireSpinLock(KSpinLock SpinLock, Out<Integer> OldIrql);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeReleaseSpinLock}. */
    void KeReleaseSpinLock(KSpinLock SpinLock, int NewIrql);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeAcquireSpinLockAtDpcLevel}. */
    void KeAcquireSpinLockAtDpcLevel(KSpinLock SpinLock);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeReleaseSpinLockFromDpcLevel}. */
    void KeReleaseSpinLockFromDpcLevel(KSpinLock SpinLock);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeInitializeEvent}. */
    void KeInitializeEvent(KEvent Event, int Type, boolean State);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeSetEvent}. */
    int KeSetEvent(KEvent Event, int Increment, boolean Wait);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeClearEvent}. */
    void KeClearEvent(KEvent Event);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeWaitForSingleObject}. */
    int KeWaitForSingleObject(Object Object, int WaitReason, int WaitMode, boolean Alertable, Long Timeout);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeInitializeTimer}. */
    void KeInitializeTimer(KTimer Timer);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeInitializeTimerEx}. */
    void KeInitializeTimerEx(KTimer Timer, int Type);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeSetTimer}. */
    boolean KeSetTimer(KTimer Timer, long DueTime, Kdpc Dpc);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeSetTimerEx}. */
    boolean KeSetTimerEx(KTimer Timer, long DueTime, int Period, Kdpc Dpc);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeCancelTimer}. */
    boolean KeCancelTimer(KTimer Timer);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeStallExecutionProcessor}. */
    void KeStallExecutionProcessor(int MicroSeconds);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeDelayExecutionThread}. */
    int KeDelayExecutionThread(int WaitMode, boolean Alertable, long Interval);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#ExAllocatePoolWithTag}. */
    byte[] ExAllocatePoolWithTag(int PoolType, long NumberOfBytes, int Tag);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#ExAllocatePoolWithTag}. */
    <T> T ExAllocatePoolWithTag(int PoolType, Class<T> NumberOfBytes, int Tag);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#ExFreePoolWithTag}. */
    void ExFreePoolWithTag(Object P, int Tag);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#RtlCopyMemory}. */
    void RtlCopyMemory(byte[] Destination, int DestinationOffset, byte[] Source, int SourceOffset, int Length);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#RtlZeroMemory}. */
    void RtlZeroMemory(byte[] Destination, int Offset, int Length);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#InitializeObjectAttributes}. */
    void InitializeObjectAttributes(ObjectAttributes InitializedAttributes, UnicodeString ObjectName, int Attributes, Handle RootDirectory, Object SecurityDescriptor);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#ZwCreateFile}. */
    int ZwCreateFile(Out<Handle> FileHandle, int DesiredAccess, ObjectAttributes ObjectAttributes, IoStatusBlock IoStatusBlock, Long AllocationSize, int FileAttributes, int ShareAccess, int CreateDisposition, int CreateOptions, byte[] EaBuffer, int EaLength);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#ZwWriteFile}. */
    int ZwWriteFile(Handle FileHandle, KEvent Event, Object ApcRoutine, Object ApcContext, IoStatusBlock IoStatusBlock, byte[] Buffer, int Length, Long ByteOffset, Integer Key);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#ZwClose}. */
    int ZwClose(Handle Handle);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#READ_REGISTER_UCHAR}. */
    byte READ_REGISTER_UCHAR(long Register);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#READ_REGISTER_USHORT}. */
    short READ_REGISTER_USHORT(long Register);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#READ_REGISTER_ULONG}. */
    int READ_REGISTER_ULONG(long Register);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#WRITE_REGISTER_UCHAR}. */
    void WRITE_REGISTER_UCHAR(long Register, byte Value);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#WRITE_REGISTER_USHORT}. */
    void WRITE_REGISTER_USHORT(long Register, short Value);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#WRITE_REGISTER_ULONG}. */
    void WRITE_REGISTER_ULONG(long Register, int Value);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#READ_PORT_UCHAR}. */
    byte READ_PORT_UCHAR(long Port);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#READ_PORT_USHORT}. */
    short READ_PORT_USHORT(long Port);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#READ_PORT_ULONG}. */
    int READ_PORT_ULONG(long Port);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#WRITE_PORT_UCHAR}. */
    void WRITE_PORT_UCHAR(long Port, byte Value);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#WRITE_PORT_USHORT}. */
    void WRITE_PORT_USHORT(long Port, short Value);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#WRITE_PORT_ULONG}. */
    void WRITE_PORT_ULONG(long Port, int Value);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#PAGED_CODE}. */
    void PAGED_CODE();

    /** Carries out {@link dev.dpccheck.wdm.Wdm#KeFlushQueuedDpcs}. */
    void KeFlushQueuedDpcs();

    /** Carries out {@link dev.dpccheck.wdm.Wdm#InitializeListHead}. */
    void InitializeListHead(ListEntry ListHead);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IsListEmpty}. */
    boolean IsListEmpty(ListEntry ListHead);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#InsertTailList}. */
    void InsertTailList(ListEntry ListHead, ListEntry Entry);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#InsertHeadList}. */
    void InsertHeadList(ListEntry ListHead, ListEntry Entry);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#RemoveHeadList}. */
    ListEntry RemoveHeadList(ListEntry ListHead);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#RemoveTailList}. */
    ListEntry RemoveTailList(ListEntry ListHead);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#RemoveEntryList}. */
    boolean RemoveEntryList(ListEntry Entry);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#ExInterlockedInsertTailList}. */
    ListEntry ExInterlockedInsertTailList(ListEntry ListHead, ListEntry ListEntry, KSpinLock Lock);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#ExInterlockedInsertHeadList}. */
    ListEntry ExInterlockedInsertHeadList(ListEntry ListHead, ListEntry ListEntry, KSpinLock Lock);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#ExInterlockedRemoveHeadList}. */
    ListEntry ExInterlockedRemoveHeadList(ListEntry ListHead, KSpinLock Lock);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoCancelIrp}. */
    boolean IoCancelIrp(Irp Irp);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoCsqInitialize}. */
    int IoCsqInitialize(IoCsq Csq, CsqInsertIrp CsqInsertIrp, CsqRemoveIrp CsqRemoveIrp, CsqPeekNextIrp CsqPeekNextIrp, CsqAcquireLock CsqAcquireLock, CsqReleaseLock CsqReleaseLock, CsqCompleteCanceledIrp CsqCompleteCanceledIrp);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoCsqInsertIrp}. */
    void IoCsqInsertIrp(IoCsq Csq, Irp Irp, IoCsqIrpContext Context);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoCsqRemoveNextIrp}. */
    Irp IoCsqRemoveNextIrp(IoCsq Csq, Object PeekContext);

    /** Carries out {@link dev.dpccheck.wdm.Wdm#IoCsqRemoveIrp}. */
    Irp IoCsqRemoveIrp(IoCsq Csq, IoCsqIrpContext Context);
}
