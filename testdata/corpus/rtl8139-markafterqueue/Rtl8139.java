package corpus.rtl8139markafterqueue;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.ArrayList;
import java.util.List;

/**
 * Driver for a Realtek RTL8139 Ethernet controller exposed as a plain device. The chip bus-masters
 * received frames into one contiguous ring buffer and sends from four transmit buffers; a write is
 * copied into the next free transmit buffer and started by writing its length to the descriptor's
 * status register, and completes at once. The ISR accumulates the interrupt status, notes a link
 * change, acknowledges and queues the DpcForIsr; the DPC takes the accumulated status under the
 * interrupt lock, then under the adapter lock reaps finished transmit descriptors and walks the
 * receive ring, handing frames to waiting reads and moving CAPR.
 *
 * Re-expressed from: reactos/reactos/drivers/network/dd/rtl8139 (interrupt.c, hardware.c, ndis.c) (structure and facts, not code).
 */
@HardwareId("PCI\\VEN_10EC&DEV_8139")
public final class Rtl8139 {
    static final int R_MAC = 0x00;
    static final int R_TXSTS0 = 0x10;
    static final int R_TXSAD0 = 0x20;
    static final int R_RXSA = 0x30;
    static final int R_CMD = 0x37;
    static final int R_CAPR = 0x38;
    static final int R_IM = 0x3C;
    static final int R_IS = 0x3E;
    static final int R_TXC = 0x40;
    static final int R_RXC = 0x44;
    static final int R_MSR = 0x58;
    static final int R_CSCFG = 0x74;

    static final int R_CMD_RXEMPTY = 0x01;
    static final int R_CMD_TXENABLE = 0x04;
    static final int R_CMD_RXENABLE = 0x08;
    static final int R_CMD_RESET = 0x10;

    static final int R_I_RXOK = 0x0001;
    static final int R_I_RXERR = 0x0002;
    static final int R_I_TXOK = 0x0004;
    static final int R_I_TXERR = 0x0008;
    static final int R_I_RXOVRFLW = 0x0010;
    static final int R_I_RXUNDRUN = 0x0020;
    static final int R_I_FIFOOVR = 0x0040;
    static final int R_I_CABLELEN = 0x2000;
    static final int R_I_TIMEOUT = 0x4000;
    static final int R_I_SYSERR = 0x8000;
    static final int DEFAULT_INTERRUPT_MASK = R_I_RXOK | R_I_RXERR | R_I_TXOK | R_I_TXERR | R_I_RXOVRFLW
            | R_I_RXUNDRUN | R_I_FIFOOVR | R_I_SYSERR;

    static final int R_TXS_STATOK = 0x8000;
    static final int R_TXS_UNDERRUN = 0x4000;
    static final int R_TXS_ABORTED = 0x40000000;
    static final int R_CSCR_LINKCHNG = 0x0800;
    static final int R_MSR_LINKB = 0x04;
    static final int RSR_ROK = 0x0001;
    static final int RSR_FAE = 0x0002;
    static final int RSR_CRC = 0x0004;

    static final int RECEIVE_BUFFER_SIZE = 32 * 1024;
    static final int TX_DESC_COUNT = 4;
    static final int TX_BUFFER_SIZE = 1536;
    static final int RECV_CRC_LENGTH = 4;
    static final int MAX_FRAME = 1514;
    static final int MIN_FRAME = 60;
    static final int TAG = 0x39333138;

    @Role(DriverInitialize.class)
    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
        DriverObject.DriverExtension.AddDevice = this::AddDevice;
        DriverObject.DriverUnload = this::Unload;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = this::DispatchCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::DispatchCreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = this::DispatchRead;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = this::DispatchWrite;
        DriverObject.MajorFunction[IRP_MJ_PNP] = this::DispatchPnp;
        return STATUS_SUCCESS;
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject PhysicalDeviceObject) {
        Out<DeviceObject> created = new Out<>();
        int status = IoCreateDevice(DriverObject, RtlAdapter.class, null, FILE_DEVICE_UNKNOWN, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        RtlAdapter adapter = (RtlAdapter) fdo.DeviceExtension;
        adapter.Self = fdo;
        adapter.Pdo = PhysicalDeviceObject;
        adapter.InterruptMask = DEFAULT_INTERRUPT_MASK;
        KeInitializeSpinLock(adapter.Lock);
        IoInitializeRemoveLock(adapter.RemoveLock, TAG, 0, 0);
        adapter.LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (adapter.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_UNSUCCESSFUL;
        }
        IoInitializeDpcRequest(fdo, this::HandleInterrupt);
        fdo.Flags |= DO_BUFFERED_IO;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int DispatchCreateClose(DeviceObject DeviceObject, Irp Irp) {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    // ------------------------------------------------------------------ send

    /** Copies the frame into the next transmit buffer and starts it; STATUS_DEVICE_BUSY when all four are in flight. */
    private int SendFrame(RtlAdapter adapter, byte[] frame, int length) {
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(adapter.Lock, oldIrql);
        if (adapter.TxFull) {
            KeReleaseSpinLock(adapter.Lock, oldIrql.value);
            return STATUS_DEVICE_BUSY;
        }
        int desc = adapter.CurrentTxDesc;
        RtlCopyMemory(adapter.TxBuffer[desc], 0, frame, 0, length);
        int size = Math.max(length, MIN_FRAME);
        WRITE_PORT_ULONG(adapter.IoBase + R_TXSTS0 + 4L * desc, size);
        adapter.CurrentTxDesc = (desc + 1) % TX_DESC_COUNT;
        if (adapter.CurrentTxDesc == adapter.DirtyTxDesc) {
            adapter.TxFull = true;
        }
        KeReleaseSpinLock(adapter.Lock, oldIrql.value);
        return STATUS_SUCCESS;
    }

    @Role(DriverDispatch.class)
    int DispatchWrite(DeviceObject DeviceObject, Irp Irp) {
        RtlAdapter adapter = (RtlAdapter) DeviceObject.DeviceExtension;
        int length = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
        int status;
        if (adapter.Interrupt == null || !adapter.MediaConnected) {
            status = STATUS_DEVICE_NOT_READY;
        } else if (length < MIN_FRAME - 4 || length > MAX_FRAME) {
            status = STATUS_INVALID_PARAMETER;
        } else {
            status = SendFrame(adapter, Irp.AssociatedIrp.SystemBuffer, length);
        }
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = NT_SUCCESS(status) ? length : 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    // ------------------------------------------------------------------ receive

    @Role(DriverDispatch.class)
    int DispatchRead(DeviceObject DeviceObject, Irp Irp) {
        RtlAdapter adapter = (RtlAdapter) DeviceObject.DeviceExtension;
        if (IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length < MAX_FRAME) {
            Irp.IoStatus.Status = STATUS_BUFFER_TOO_SMALL;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_BUFFER_TOO_SMALL;
        }
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(adapter.Lock, oldIrql);
        IoSetCancelRoutine(Irp, this::CancelRead);
        if (Irp.Cancel && IoSetCancelRoutine(Irp, null) != null) {
            KeReleaseSpinLock(adapter.Lock, oldIrql.value);
            Irp.IoStatus.Status = STATUS_CANCELLED;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_PENDING; // expect: MarkIrpPending
        }
        IoMarkIrpPending(Irp);
        adapter.ReadQueue.addLast(Irp);
        KeReleaseSpinLock(adapter.Lock, oldIrql.value);
        return STATUS_PENDING;
    }

    @Role(DriverCancel.class)
    void CancelRead(DeviceObject DeviceObject, Irp Irp) {
        RtlAdapter adapter = (RtlAdapter) DeviceObject.DeviceExtension;
        IoReleaseCancelSpinLock(Irp.CancelIrql);
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(adapter.Lock, oldIrql);
        adapter.ReadQueue.remove(Irp);
        KeReleaseSpinLock(adapter.Lock, oldIrql.value);
        Irp.IoStatus.Status = STATUS_CANCELLED;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }

    /** Hands one frame from the ring to the oldest waiting read; FALSE when nobody waits. Lock held. */
    private boolean IndicateFrame(RtlAdapter adapter, int offset, int length, List<Irp> done) {
        while (!adapter.ReadQueue.isEmpty()) {
            Irp read = adapter.ReadQueue.removeFirst();
            if (IoSetCancelRoutine(read, null) == null) {
                continue;
            }
            RtlCopyMemory(read.AssociatedIrp.SystemBuffer, 0, adapter.ReceiveBuffer, offset, length);
            read.IoStatus.Status = STATUS_SUCCESS;
            read.IoStatus.Information = length;
            done.add(read);
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ interrupt

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        RtlAdapter adapter = (RtlAdapter) fdo.DeviceExtension;
        int status = READ_PORT_USHORT(adapter.IoBase + R_IS) & 0xFFFF;
        int pending = status & adapter.InterruptMask;
        if (pending == 0) {
            return false;
        }
        adapter.InterruptPending |= pending;
        if ((pending & R_I_RXUNDRUN) != 0) {
            int cscr = READ_PORT_ULONG(adapter.IoBase + R_CSCFG);
            if ((cscr & R_CSCR_LINKCHNG) != 0) {
                adapter.LinkChange = true;
                adapter.LinkUpLatched = (READ_PORT_UCHAR(adapter.IoBase + R_MSR) & R_MSR_LINKB) == 0;
            }
        }
        // overflow bits stay set until CAPR has moved; the DPC clears them
        WRITE_PORT_USHORT(adapter.IoBase + R_IS, (short) (pending & ~(R_I_RXOVRFLW | R_I_FIFOOVR)));
        IoRequestDpc(fdo, null, null);
        return true;
    }

    /** What the DPC takes of the ISR's accumulation. */
    static final class Pending {
        RtlAdapter Adapter;
        int Events;
        boolean LinkChange;
        boolean LinkUp;
    }

    @Role(KSynchronizeRoutine.class)
    boolean TakePending(Object SynchronizeContext) {
        Pending pending = (Pending) SynchronizeContext;
        pending.Events = pending.Adapter.InterruptPending;
        pending.LinkChange = pending.Adapter.LinkChange;
        pending.LinkUp = pending.Adapter.LinkUpLatched;
        pending.Adapter.InterruptPending = 0;
        pending.Adapter.LinkChange = false;
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean ClearOverflow(Object SynchronizeContext) {
        RtlAdapter adapter = (RtlAdapter) SynchronizeContext;
        WRITE_PORT_USHORT(adapter.IoBase + R_IS, (short) (R_I_RXOVRFLW | R_I_FIFOOVR));
        return true;
    }

    @Role(IoDpcRoutine.class)
    void HandleInterrupt(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        RtlAdapter adapter = (RtlAdapter) DeviceObject.DeviceExtension;
        Pending pending = new Pending();
        pending.Adapter = adapter;
        KeSynchronizeExecution(adapter.Interrupt, this::TakePending, pending);
        List<Irp> done = new ArrayList<>();
        KeAcquireSpinLockAtDpcLevel(adapter.Lock);
        if (pending.LinkChange) {
            adapter.MediaConnected = pending.LinkUp;
        }
        if ((pending.Events & (R_I_TXOK | R_I_TXERR)) != 0) {
            while (adapter.TxFull || adapter.DirtyTxDesc != adapter.CurrentTxDesc) {
                int txStatus = READ_PORT_ULONG(adapter.IoBase + R_TXSTS0 + 4L * adapter.DirtyTxDesc);
                if ((txStatus & (R_TXS_STATOK | R_TXS_UNDERRUN | R_TXS_ABORTED)) == 0) {
                    break;
                }
                if ((txStatus & R_TXS_STATOK) != 0) {
                    adapter.TransmitOk++;
                } else {
                    adapter.TransmitError++;
                }
                adapter.DirtyTxDesc = (adapter.DirtyTxDesc + 1) % TX_DESC_COUNT;
                adapter.TxFull = false;
            }
        }
        boolean overflow = (pending.Events & (R_I_RXOVRFLW | R_I_FIFOOVR)) != 0;
        if ((pending.Events & (R_I_RXOK | R_I_RXERR)) != 0 || overflow) {
            ReceiveFrames(adapter, done);
        }
        KeReleaseSpinLockFromDpcLevel(adapter.Lock);
        if (overflow) {
            KeSynchronizeExecution(adapter.Interrupt, this::ClearOverflow, adapter);
        }
        for (Irp read : done) {
            IoCompleteRequest(read, IO_NO_INCREMENT);
        }
    }

    /** Walks the ring until the chip says it is empty, moving CAPR behind each frame. Lock held. */
    private void ReceiveFrames(RtlAdapter adapter, List<Irp> done) {
        while ((READ_PORT_UCHAR(adapter.IoBase + R_CMD) & R_CMD_RXEMPTY) == 0) {
            adapter.ReceiveOffset %= RECEIVE_BUFFER_SIZE;
            int offset = adapter.ReceiveOffset;
            byte[] ring = adapter.ReceiveBuffer;
            int status = (ring[offset] & 0xFF) | ((ring[offset + 1] & 0xFF) << 8);
            int length = (ring[offset + 2] & 0xFF) | ((ring[offset + 3] & 0xFF) << 8);
            if ((status & RSR_ROK) == 0 || length < RECV_CRC_LENGTH) {
                adapter.ReceiveError++;
            } else if (IndicateFrame(adapter, offset + 4, Math.min(length - RECV_CRC_LENGTH, MAX_FRAME), done)) {
                adapter.ReceiveOk++;
            } else {
                adapter.ReceiveDropped++;
            }
            adapter.ReceiveOffset = (offset + Math.max(length, 0) + 4 + 3) & ~3;
            WRITE_PORT_USHORT(adapter.IoBase + R_CAPR, (short) (adapter.ReceiveOffset - 0x10));
        }
    }

    // ------------------------------------------------------------------ PnP

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        RtlAdapter adapter = (RtlAdapter) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        switch (stack.MinorFunction) {
            case IRP_MN_START_DEVICE: {
                int status = ForwardAndWait(adapter, Irp);
                if (NT_SUCCESS(status)) {
                    status = StartDevice(adapter,
                            IoGetCurrentIrpStackLocation(Irp).Parameters.StartDevice.AllocatedResourcesTranslated);
                }
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
            case IRP_MN_STOP_DEVICE:
            case IRP_MN_SURPRISE_REMOVAL: {
                StopDevice(adapter);
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(adapter.LowerDevice, Irp);
            }
            case IRP_MN_REMOVE_DEVICE: {
                StopDevice(adapter);
                IoSkipCurrentIrpStackLocation(Irp);
                int status = IoCallDriver(adapter.LowerDevice, Irp);
                IoDetachDevice(adapter.LowerDevice);
                IoDeleteDevice(DeviceObject);
                return status;
            }
            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(adapter.LowerDevice, Irp);
        }
    }

    private int ForwardAndWait(RtlAdapter adapter, Irp Irp) {
        KEvent event = new KEvent();
        KeInitializeEvent(event, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, this::StartCompletion, event, true, true, true);
        int status = IoCallDriver(adapter.LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(event, Executive, KernelMode, false, null);
            status = Irp.IoStatus.Status;
        }
        return status;
    }

    @Role(IoCompletionRoutine.class)
    int StartCompletion(DeviceObject DeviceObject, Irp Irp, Object Context) {
        KeSetEvent((KEvent) Context, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    /** Soft reset, MAC address, ring and transmit buffer addresses, receive and transmit config. */
    private boolean InitializeHardware(RtlAdapter adapter) {
        long io = adapter.IoBase;
        WRITE_PORT_UCHAR(io + R_CMD, (byte) R_CMD_RESET);
        int i = 0;
        while ((READ_PORT_UCHAR(io + R_CMD) & R_CMD_RESET) != 0) {
            if (++i > 100) {
                return false;
            }
            KeStallExecutionProcessor(10);
        }
        for (int b = 0; b < 6; b++) {
            adapter.PermanentAddress[b] = READ_PORT_UCHAR(io + R_MAC + b);
        }
        adapter.ReceiveBufferLogical = 0x00300000L;
        WRITE_PORT_ULONG(io + R_RXSA, (int) adapter.ReceiveBufferLogical);
        for (int d = 0; d < TX_DESC_COUNT; d++) {
            adapter.TxBufferLogical[d] = 0x00310000L + (long) d * TX_BUFFER_SIZE;
            WRITE_PORT_ULONG(io + R_TXSAD0 + 4L * d, (int) adapter.TxBufferLogical[d]);
        }
        WRITE_PORT_UCHAR(io + R_CMD, (byte) (R_CMD_RXENABLE | R_CMD_TXENABLE));
        WRITE_PORT_ULONG(io + R_RXC, 0x0000F70F);
        WRITE_PORT_ULONG(io + R_TXC, 0x03000600);
        adapter.ReceiveOffset = 0;
        adapter.CurrentTxDesc = 0;
        adapter.DirtyTxDesc = 0;
        adapter.TxFull = false;
        adapter.InterruptPending = 0;
        adapter.MediaConnected = (READ_PORT_UCHAR(io + R_MSR) & R_MSR_LINKB) == 0;
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean SetInterruptMask(Object SynchronizeContext) {
        RtlAdapter adapter = (RtlAdapter) SynchronizeContext;
        WRITE_PORT_USHORT(adapter.IoBase + R_IM, (short) adapter.InterruptMask);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean DisableInterrupts(Object SynchronizeContext) {
        RtlAdapter adapter = (RtlAdapter) SynchronizeContext;
        WRITE_PORT_USHORT(adapter.IoBase + R_IM, (short) 0);
        WRITE_PORT_UCHAR(adapter.IoBase + R_CMD, (byte) 0);
        return true;
    }

    private int StartDevice(RtlAdapter adapter, CmResourceList resources) {
        int vector = -1;
        int level = 0;
        long affinity = 0;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypePort) {
                adapter.IoBase = d.u.Port.Start;
            } else if (d.Type == CmResourceTypeInterrupt) {
                vector = d.u.Interrupt.Vector;
                level = d.u.Interrupt.Level;
                affinity = d.u.Interrupt.Affinity;
            }
        }
        if (adapter.IoBase == 0 || vector < 0 || !InitializeHardware(adapter)) {
            return STATUS_DEVICE_NOT_READY;
        }
        DeviceDescription description = new DeviceDescription();
        description.Version = DEVICE_DESCRIPTION_VERSION;
        description.Master = true;
        description.Dma32BitAddresses = true;
        description.InterfaceType = PCIBus;
        description.MaximumLength = RECEIVE_BUFFER_SIZE;
        Out<Integer> mapRegisters = new Out<>();
        adapter.Adapter = IoGetDmaAdapter(adapter.Pdo, description, mapRegisters);
        if (adapter.Adapter == null) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptService, adapter.Self, null, vector, level, level,
                LevelSensitive, true, affinity, false);
        if (!NT_SUCCESS(status)) {
            adapter.Adapter.DmaOperations.PutDmaAdapter(adapter.Adapter);
            adapter.Adapter = null;
            return status;
        }
        adapter.Interrupt = interrupt.value;
        KeSynchronizeExecution(adapter.Interrupt, this::SetInterruptMask, adapter);
        return STATUS_SUCCESS;
    }

    private void StopDevice(RtlAdapter adapter) {
        if (adapter.Interrupt != null) {
            KeSynchronizeExecution(adapter.Interrupt, this::DisableInterrupts, adapter);
            IoDisconnectInterrupt(adapter.Interrupt);
            adapter.Interrupt = null;
        }
        if (adapter.Adapter != null) {
            adapter.Adapter.DmaOperations.PutDmaAdapter(adapter.Adapter);
            adapter.Adapter = null;
        }
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }
}
