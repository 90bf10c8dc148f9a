package corpus.ne2000statsafter;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;
import java.util.ArrayList;
import java.util.List;

/**
 * Driver for an NE2000-compatible (DP8390) Ethernet card. Frames move between host and card memory
 * by the 8390's remote DMA through the data port; the card transmits from a small ring of transmit
 * buffers and receives into a ring of 256-byte pages. The ISR only masks the card and queues the
 * DpcForIsr; the DPC, serialized with sends by the adapter lock, reads and acknowledges the
 * interrupt status register in a loop and handles overflow, receive, transmit and counter
 * interrupts, then unmasks the card. An IoTimer resets a card whose transmitter has hung.
 *
 * Re-expressed from: reactos/reactos/drivers/network/dd/ne2000/ne2000/8390.c and main.c (structure and facts, not code).
 */
@HardwareId("PCI\\VEN_10EC&DEV_8029")
public final class Ne2000 {
    // page 0 registers
    static final int PG0_CR = 0x00;
    static final int PG0_PSTART = 0x01;
    static final int PG0_PSTOP = 0x02;
    static final int PG0_BNRY = 0x03;
    static final int PG0_TPSR = 0x04;
    static final int PG0_TBCR0 = 0x05;
    static final int PG0_TBCR1 = 0x06;
    static final int PG0_ISR = 0x07;
    static final int PG0_RSAR0 = 0x08;
    static final int PG0_RSAR1 = 0x09;
    static final int PG0_RBCR0 = 0x0A;
    static final int PG0_RBCR1 = 0x0B;
    static final int PG0_RCR = 0x0C;
    static final int PG0_TCR = 0x0D;
    static final int PG0_DCR = 0x0E;
    static final int PG0_IMR = 0x0F;
    static final int PG0_CNTR0 = 0x0D;
    static final int PG0_CNTR1 = 0x0E;
    static final int PG0_CNTR2 = 0x0F;
    // page 1 registers
    static final int PG1_PAR = 0x01;
    static final int PG1_CURR = 0x07;
    static final int PG1_MAR = 0x08;
    static final int NIC_DATA = 0x10;
    static final int NIC_RESET = 0x1F;

    static final int CR_STP = 0x01;
    static final int CR_STA = 0x02;
    static final int CR_TXP = 0x04;
    static final int CR_RD0 = 0x08;
    static final int CR_RD1 = 0x10;
    static final int CR_RD2 = 0x20;
    static final int CR_PAGE0 = 0x00;
    static final int CR_PAGE1 = 0x40;

    static final int ISR_PRX = 0x01;
    static final int ISR_PTX = 0x02;
    static final int ISR_RXE = 0x04;
    static final int ISR_TXE = 0x08;
    static final int ISR_OVW = 0x10;
    static final int ISR_CNT = 0x20;
    static final int ISR_RDC = 0x40;
    static final int ISR_RST = 0x80;

    static final int DCR_WTS = 0x01;
    static final int DCR_LS = 0x08;
    static final int DCR_FT10 = 0x40;
    static final int RCR_AB = 0x04;
    static final int RCR_AM = 0x08;
    static final int RCR_PRO = 0x10;
    static final int RCR_MON = 0x20;
    static final int TCR_LOOP = 0x02;

    static final int DRIVER_BLOCK_SIZE = 1536;
    static final int BUFFERS_PER_TX_BUF = DRIVER_BLOCK_SIZE / 256;
    static final int TX_BUFFERS = 2;
    static final int MAX_FRAME = 1514;
    static final int MIN_FRAME = 60;
    static final int RX_PACKETS_PER_DPC = 10;
    static final int TAG = 0x3245454e;
    static final int DEFAULT_INTERRUPT_MASK = ISR_PRX | ISR_PTX | ISR_RXE | ISR_TXE | ISR_OVW | ISR_CNT;

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
        int status = IoCreateDevice(DriverObject, NicAdapter.class, null, FILE_DEVICE_UNKNOWN, 0, false, created);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        DeviceObject fdo = created.value;
        NicAdapter adapter = (NicAdapter) fdo.DeviceExtension;
        adapter.Self = fdo;
        adapter.Pdo = PhysicalDeviceObject;
        adapter.InterruptMask = DEFAULT_INTERRUPT_MASK;
        KeInitializeSpinLock(adapter.AdapterLock);
        IoInitializeRemoveLock(adapter.RemoveLock, TAG, 0, 0);
        adapter.LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (adapter.LowerDevice == null) {
            IoDeleteDevice(fdo);
            return STATUS_UNSUCCESSFUL;
        }
        IoInitializeDpcRequest(fdo, this::HandleInterrupt);
        IoInitializeTimer(fdo, this::CheckForHang, adapter);
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

    // ------------------------------------------------------------------ remote DMA

    /** Reads card memory through the data port. Adapter lock held. */
    private void ReadData(NicAdapter adapter, byte[] target, int offset, int address, int count) {
        long io = adapter.IOBase;
        if (adapter.WordMode && (count & 1) != 0) {
            count++;
        }
        WRITE_PORT_UCHAR(io + PG0_RBCR0, (byte) count);
        WRITE_PORT_UCHAR(io + PG0_RBCR1, (byte) (count >> 8));
        WRITE_PORT_UCHAR(io + PG0_RSAR0, (byte) address);
        WRITE_PORT_UCHAR(io + PG0_RSAR1, (byte) (address >> 8));
        WRITE_PORT_UCHAR(io + PG0_CR, (byte) (CR_STA | CR_RD0 | CR_PAGE0));
        for (int i = 0; i < count; i++) {
            byte b = READ_PORT_UCHAR(io + NIC_DATA);
            if (offset + i < target.length) {
                target[offset + i] = b;
            }
        }
    }

    /** Writes card memory through the data port and waits for remote DMA to finish. Adapter lock held. */
    private boolean WriteData(NicAdapter adapter, int address, byte[] source, int offset, int count) {
        long io = adapter.IOBase;
        WRITE_PORT_UCHAR(io + PG0_RBCR0, (byte) count);
        WRITE_PORT_UCHAR(io + PG0_RBCR1, (byte) (count >> 8));
        WRITE_PORT_UCHAR(io + PG0_RSAR0, (byte) address);
        WRITE_PORT_UCHAR(io + PG0_RSAR1, (byte) (address >> 8));
        WRITE_PORT_UCHAR(io + PG0_CR, (byte) (CR_STA | CR_RD1 | CR_PAGE0));
        for (int i = 0; i < count; i++) {
            WRITE_PORT_UCHAR(io + NIC_DATA, source[offset + i]);
        }
        for (int tries = 0; tries < 4; tries++) {
            if ((READ_PORT_UCHAR(io + PG0_ISR) & ISR_RDC) != 0) {
                WRITE_PORT_UCHAR(io + PG0_ISR, (byte) ISR_RDC);
                return true;
            }
            KeStallExecutionProcessor(10);
        }
        return false;
    }

    // ------------------------------------------------------------------ transmit

    @Role(DriverDispatch.class)
    int DispatchWrite(DeviceObject DeviceObject, Irp Irp) {
        NicAdapter adapter = (NicAdapter) DeviceObject.DeviceExtension;
        int length = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
        if (length < MIN_FRAME || length > MAX_FRAME || adapter.Interrupt == null) {
            Irp.IoStatus.Status = STATUS_INVALID_PARAMETER;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_INVALID_PARAMETER;
        }
        IoMarkIrpPending(Irp);
        List<Irp> sent = new ArrayList<>();
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(adapter.AdapterLock, oldIrql);
        adapter.TXQueue.addLast(Irp);
        Transmit(adapter, sent);
        KeReleaseSpinLock(adapter.AdapterLock, oldIrql.value);
        CompleteAll(sent);
        return STATUS_PENDING;
    }

    /** Starts the transmitter on the buffer at TXCurrent. Adapter lock held. */
    private void StartTransmit(NicAdapter adapter) {
        if (adapter.TXCurrent < 0) {
            return;
        }
        long io = adapter.IOBase;
        int frameStart = adapter.TXStart + adapter.TXCurrent * BUFFERS_PER_TX_BUF;
        int length = adapter.TXSize[adapter.TXCurrent];
        WRITE_PORT_UCHAR(io + PG0_TPSR, (byte) frameStart);
        WRITE_PORT_UCHAR(io + PG0_TBCR0, (byte) length);
        WRITE_PORT_UCHAR(io + PG0_TBCR1, (byte) (length >> 8));
        WRITE_PORT_UCHAR(io + PG0_CR, (byte) (CR_STA | CR_TXP | CR_RD2));
        adapter.TxTimeoutTicks = 0;
    }

    /**
     * Copies the frame at the head of the transmit queue into the next free transmit buffer; the
     * write is finished as soon as the card holds it. Returns FALSE when no buffer is free.
     */
    private boolean PrepareForTransmit(NicAdapter adapter, List<Irp> sent) {
        Irp packet = adapter.TXQueue.peekFirst();
        int length = IoGetCurrentIrpStackLocation(packet).Parameters.Write.Length;
        int bufferCount = (length + DRIVER_BLOCK_SIZE - 1) / DRIVER_BLOCK_SIZE;
        if (bufferCount > adapter.TXFree) {
            return false;
        }
        int address = (adapter.TXStart + adapter.TXNext * BUFFERS_PER_TX_BUF) * 256;
        boolean copied = WriteData(adapter, address, packet.AssociatedIrp.SystemBuffer, 0, length);
        adapter.TXSize[adapter.TXNext] = Math.max(length, MIN_FRAME);
        if (adapter.TXCurrent == -1) {
            adapter.TXCurrent = adapter.TXNext;
        }
        adapter.TXNext = (adapter.TXNext + bufferCount) % adapter.TXCount;
        adapter.TXFree -= bufferCount;
        adapter.TXQueue.removeFirst();
        packet.IoStatus.Status = copied ? STATUS_SUCCESS : STATUS_DEVICE_DATA_ERROR;
        packet.IoStatus.Information = copied ? length : 0;
        sent.add(packet);
        return true;
    }

    /** Starts transmitting if the card is idle. Adapter lock held. */
    private void Transmit(NicAdapter adapter, List<Irp> sent) {
        if (adapter.TXCurrent == -1 && !adapter.TXQueue.isEmpty()) {
            if (PrepareForTransmit(adapter, sent)) {
                StartTransmit(adapter);
            }
        }
    }

    /** Frees the buffers of the frame that just left and starts the next one. Adapter lock held. */
    private void HandleTransmit(NicAdapter adapter, List<Irp> sent) {
        if (adapter.TransmitError) {
            adapter.TransmitError = false;
        }
        if (adapter.TXCurrent < 0) {
            return;
        }
        int length = adapter.TXSize[adapter.TXCurrent];
        int bufferCount = (length + DRIVER_BLOCK_SIZE - 1) / DRIVER_BLOCK_SIZE;
        adapter.TXFree += bufferCount;
        adapter.TXSize[adapter.TXCurrent] = 0;
        adapter.TXCurrent = (adapter.TXCurrent + bufferCount) % adapter.TXCount;
        if (adapter.TXSize[adapter.TXCurrent] == 0) {
            adapter.TXCurrent = -1;
        }
        if (!adapter.TXQueue.isEmpty() && PrepareForTransmit(adapter, sent)) {
            StartTransmit(adapter);
        }
    }

    private void CompleteAll(List<Irp> irps) {
        for (Irp irp : irps) {
            IoCompleteRequest(irp, IO_NO_INCREMENT);
        }
    }

    // ------------------------------------------------------------------ receive

    @Role(DriverDispatch.class)
    int DispatchRead(DeviceObject DeviceObject, Irp Irp) {
        NicAdapter adapter = (NicAdapter) DeviceObject.DeviceExtension;
        if (IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length < MAX_FRAME) {
            Irp.IoStatus.Status = STATUS_BUFFER_TOO_SMALL;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_BUFFER_TOO_SMALL;
        }
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(adapter.AdapterLock, oldIrql);
        IoSetCancelRoutine(Irp, this::CancelRead);
        if (Irp.Cancel && IoSetCancelRoutine(Irp, null) != null) {
            KeReleaseSpinLock(adapter.AdapterLock, oldIrql.value);
            Irp.IoStatus.Status = STATUS_CANCELLED;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_CANCELLED;
        }
        IoMarkIrpPending(Irp);
        adapter.RXWaiters.addLast(Irp);
        KeReleaseSpinLock(adapter.AdapterLock, oldIrql.value);
        return STATUS_PENDING;
    }

    @Role(DriverCancel.class)
    void CancelRead(DeviceObject DeviceObject, Irp Irp) {
        NicAdapter adapter = (NicAdapter) DeviceObject.DeviceExtension;
        IoReleaseCancelSpinLock(Irp.CancelIrql);
        Out<Integer> oldIrql = new Out<>();
        KeAcquireSpinLock(adapter.AdapterLock, oldIrql);
        adapter.RXWaiters.remove(Irp);
        KeReleaseSpinLock(adapter.AdapterLock, oldIrql.value);
        // ours now: either still queued, or dropped by a dequeuer that lost the race with cancel
        Irp.IoStatus.Status = STATUS_CANCELLED;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }

    /** Page 1 is selected for a moment: keep the ISR, which reads the status on page 0, out meanwhile. */
    private void GetCurrentPage(NicAdapter adapter) {
        KeSynchronizeExecution(adapter.Interrupt, this::ReadCurrentPage, adapter);
    }

    @Role(KSynchronizeRoutine.class)
    boolean ReadCurrentPage(Object SynchronizeContext) {
        NicAdapter adapter = (NicAdapter) SynchronizeContext;
        long io = adapter.IOBase;
        WRITE_PORT_UCHAR(io + PG0_CR, (byte) (CR_STA | CR_RD2 | CR_PAGE1));
        adapter.CurrentPage = READ_PORT_UCHAR(io + PG1_CURR) & 0xFF;
        WRITE_PORT_UCHAR(io + PG0_CR, (byte) (CR_STA | CR_RD2 | CR_PAGE0));
        return true;
    }

    private void SetBoundaryPage(NicAdapter adapter) {
        int boundary = adapter.NextPacket == adapter.PageStart ? adapter.PageStop - 1 : adapter.NextPacket - 1;
        WRITE_PORT_UCHAR(adapter.IOBase + PG0_BNRY, (byte) boundary);
    }

    /** Reads one frame out of the receive ring and hands it to a waiting read, if any. Adapter lock held. */
    private void ReadPacket(NicAdapter adapter, List<Irp> received) {
        byte[] header = new byte[4];
        ReadData(adapter, header, 0, adapter.NextPacket * 256, 4);
        int next = header[1] & 0xFF;
        int length = ((header[2] & 0xFF) | ((header[3] & 0xFF) << 8)) - 4;
        if (length > 0 && length <= MAX_FRAME) {
            ReadData(adapter, adapter.PacketBuffer, 0, adapter.NextPacket * 256 + 4, length);
            Irp waiter = null;
            while (!adapter.RXWaiters.isEmpty() && waiter == null) {
                Irp candidate = adapter.RXWaiters.removeFirst();
                if (IoSetCancelRoutine(candidate, null) != null) {
                    waiter = candidate;
                }
            }
            if (waiter != null) {
                RtlCopyMemory(waiter.AssociatedIrp.SystemBuffer, 0, adapter.PacketBuffer, 0, length);
                waiter.IoStatus.Status = STATUS_SUCCESS;
                waiter.IoStatus.Information = length;
                received.add(waiter);
            } else {
                adapter.DroppedFrames++;
            }
        }
        adapter.NextPacket = next;
        SetBoundaryPage(adapter);
    }

    /** Handles a receive (and ring-overflow) interrupt. Adapter lock held. */
    private void HandleReceive(NicAdapter adapter, List<Irp> received, List<Irp> sent) {
        long io = adapter.IOBase;
        GetCurrentPage(adapter);
        if (adapter.BufferOverflow) {
            WRITE_PORT_UCHAR(io + PG0_CR, (byte) (CR_STP | CR_RD2 | CR_PAGE0));
            WRITE_PORT_UCHAR(io + PG0_RBCR0, (byte) 0);
            WRITE_PORT_UCHAR(io + PG0_RBCR1, (byte) 0);
            for (int i = 0; i < 4; i++) {
                if ((READ_PORT_UCHAR(io + PG0_ISR) & ISR_RST) != 0) {
                    break;
                }
                KeStallExecutionProcessor(500);
            }
            if ((adapter.InterruptStatus & (ISR_PTX | ISR_TXE)) == 0) {
                adapter.TransmitPending = true;
            }
            WRITE_PORT_UCHAR(io + PG0_TCR, (byte) TCR_LOOP);
            WRITE_PORT_UCHAR(io + PG0_CR, (byte) (CR_STA | CR_RD2));
            WRITE_PORT_UCHAR(io + PG0_TCR, (byte) 0);
            WRITE_PORT_UCHAR(io + PG0_RCR, (byte) (RCR_AB | RCR_AM | RCR_PRO));
            adapter.BufferOverflow = false;
        }
        if (adapter.ReceiveError) {
            adapter.NextPacket = adapter.CurrentPage;
            SetBoundaryPage(adapter);
            adapter.ReceiveError = false;
        }
        for (int count = 0; count < RX_PACKETS_PER_DPC; count++) {
            GetCurrentPage(adapter);
            if (adapter.CurrentPage == adapter.NextPacket) {
                break;
            }
            ReadPacket(adapter, received);
        }
        if (adapter.TransmitPending && adapter.TXCurrent != -1) {
            StartTransmit(adapter);
            adapter.TransmitPending = false;
        }
    }

    private void UpdateCounters(NicAdapter adapter) {
        adapter.FrameAlignmentErrors += READ_PORT_UCHAR(adapter.IOBase + PG0_CNTR0) & 0xFF;
        adapter.CrcErrors += READ_PORT_UCHAR(adapter.IOBase + PG0_CNTR1) & 0xFF;
        adapter.MissedPackets += READ_PORT_UCHAR(adapter.IOBase + PG0_CNTR2) & 0xFF;
    }

    // ------------------------------------------------------------------ interrupt

    @Role(KServiceRoutine.class)
    boolean InterruptService(KInterrupt Interrupt, Object ServiceContext) {
        DeviceObject fdo = (DeviceObject) ServiceContext;
        NicAdapter adapter = (NicAdapter) fdo.DeviceExtension;
        if ((READ_PORT_UCHAR(adapter.IOBase + PG0_ISR) & 0xFF) == 0) {
            return false;
        }
        WRITE_PORT_UCHAR(adapter.IOBase + PG0_IMR, (byte) 0);
        IoRequestDpc(fdo, null, null);
        return true;
    }

    /** Reads and acknowledges the interrupt status register into InterruptStatus; TRUE when something was set. */
    private boolean TakeInterruptStatus(NicAdapter adapter) {
        int value = READ_PORT_UCHAR(adapter.IOBase + PG0_ISR) & 0xFF;
        adapter.InterruptStatus |= value & adapter.InterruptMask;
        if (value != 0) {
            WRITE_PORT_UCHAR(adapter.IOBase + PG0_ISR, (byte) value);
            return true;
        }
        return false;
    }

    @Role(IoDpcRoutine.class)
    void HandleInterrupt(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
        NicAdapter adapter = (NicAdapter) DeviceObject.DeviceExtension;
        List<Irp> received = new ArrayList<>();
        List<Irp> sent = new ArrayList<>();
        KeAcquireSpinLockAtDpcLevel(adapter.AdapterLock);
        TakeInterruptStatus(adapter);
        int mask = 0x01;
        while (adapter.InterruptStatus != 0) {
            while ((adapter.InterruptStatus & mask) == 0 && mask < adapter.InterruptMask) {
                mask <<= 1;
            }
            int pending = adapter.InterruptStatus & mask;
            if (pending == ISR_OVW) {
                adapter.BufferOverflow = true;
                HandleReceive(adapter, received, sent);
                adapter.InterruptStatus &= ~ISR_OVW;
            } else if (pending == ISR_RXE || pending == ISR_PRX) {
                if (pending == ISR_RXE) {
                    UpdateCounters(adapter);
                    adapter.ReceiveError = true;
                }
                HandleReceive(adapter, received, sent);
                adapter.InterruptStatus &= ~(ISR_PRX | ISR_RXE);
            } else if (pending == ISR_TXE || pending == ISR_PTX) {
                if (pending == ISR_TXE) {
                    UpdateCounters(adapter);
                    adapter.TransmitError = true;
                }
                HandleTransmit(adapter, sent);
                adapter.InterruptStatus &= ~(ISR_PTX | ISR_TXE);
            } else if (pending == ISR_CNT) {
                UpdateCounters(adapter);
                adapter.InterruptStatus &= ~ISR_CNT;
            } else {
                adapter.InterruptStatus &= ~mask;
            }
            mask <<= 1;
            if (TakeInterruptStatus(adapter)) {
                mask = 0x01;
            }
        }
        KeReleaseSpinLockFromDpcLevel(adapter.AdapterLock);
        CompleteAll(received);
        CompleteAll(sent);
        for (Irp frame : sent) {
            adapter.BytesSent += frame.IoStatus.Information; // expect: IrpUsedAfterCompletion
        }
        KeSynchronizeExecution(adapter.Interrupt, this::EnableInterrupts, adapter);
    }

    @Role(KSynchronizeRoutine.class)
    boolean EnableInterrupts(Object SynchronizeContext) {
        NicAdapter adapter = (NicAdapter) SynchronizeContext;
        WRITE_PORT_UCHAR(adapter.IOBase + PG0_IMR, (byte) adapter.InterruptMask);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean DisableInterrupts(Object SynchronizeContext) {
        NicAdapter adapter = (NicAdapter) SynchronizeContext;
        WRITE_PORT_UCHAR(adapter.IOBase + PG0_IMR, (byte) 0);
        return true;
    }

    // ------------------------------------------------------------------ hang detection

    @Role(IoTimerRoutine.class)
    void CheckForHang(DeviceObject DeviceObject, Object Context) {
        NicAdapter adapter = (NicAdapter) Context;
        if (adapter.Interrupt == null) {
            return;
        }
        List<Irp> sent = new ArrayList<>();
        KeAcquireSpinLockAtDpcLevel(adapter.AdapterLock);
        if (adapter.TXCurrent != -1 && ++adapter.TxTimeoutTicks > 2) {
            KeSynchronizeExecution(adapter.Interrupt, this::ResetNic, adapter);
            adapter.TXCurrent = -1;
            adapter.TXNext = 0;
            adapter.TXFree = adapter.TXCount;
            for (int i = 0; i < TX_BUFFERS; i++) {
                adapter.TXSize[i] = 0;
            }
            Transmit(adapter, sent);
            KeSynchronizeExecution(adapter.Interrupt, this::EnableInterrupts, adapter);
        }
        KeReleaseSpinLockFromDpcLevel(adapter.AdapterLock);
        CompleteAll(sent);
    }

    /** Masks and stops the card, pulses the reset port and brings it back with the same setup. DIRQL. */
    @Role(KSynchronizeRoutine.class)
    boolean ResetNic(Object SynchronizeContext) {
        NicAdapter adapter = (NicAdapter) SynchronizeContext;
        long io = adapter.IOBase;
        WRITE_PORT_UCHAR(io + PG0_IMR, (byte) 0);
        WRITE_PORT_UCHAR(io + PG0_CR, (byte) (CR_STP | CR_RD2 | CR_PAGE0));
        byte tmp = READ_PORT_UCHAR(io + NIC_RESET);
        KeStallExecutionProcessor(1600);
        WRITE_PORT_UCHAR(io + NIC_RESET, tmp);
        Setup(adapter);
        StartNic(adapter);
        return true;
    }

    // ------------------------------------------------------------------ initialization

    /** Resets the card and reads the station address PROM; FALSE when no NE2000 answers. */
    private boolean InitializeNic(NicAdapter adapter) {
        long io = adapter.IOBase;
        byte tmp = READ_PORT_UCHAR(io + NIC_RESET);
        KeStallExecutionProcessor(1600);
        WRITE_PORT_UCHAR(io + NIC_RESET, tmp);
        WRITE_PORT_UCHAR(io + PG0_CR, (byte) (CR_STP | CR_RD2 | CR_PAGE0));
        WRITE_PORT_UCHAR(io + PG0_DCR, (byte) (DCR_LS | DCR_FT10));
        WRITE_PORT_UCHAR(io + PG0_RBCR0, (byte) 0);
        WRITE_PORT_UCHAR(io + PG0_RBCR1, (byte) 0);
        WRITE_PORT_UCHAR(io + PG0_RCR, (byte) RCR_MON);
        WRITE_PORT_UCHAR(io + PG0_TCR, (byte) TCR_LOOP);
        byte[] prom = new byte[32];
        adapter.WordMode = false;
        ReadData(adapter, prom, 0, 0, 32);
        boolean doubled = true;
        for (int i = 0; i < 32; i += 2) {
            if (prom[i] != prom[i + 1]) {
                doubled = false;
            }
        }
        if (!doubled) {
            return false;
        }
        adapter.WordMode = true;
        for (int i = 0; i < 6; i++) {
            adapter.StationAddress[i] = prom[2 * i];
        }
        adapter.PageStart = 0x46;
        adapter.PageStop = 0x80;
        adapter.TXStart = 0x40;
        adapter.TXCount = TX_BUFFERS;
        adapter.TXFree = TX_BUFFERS;
        adapter.NextPacket = adapter.PageStart + 1;
        WRITE_PORT_UCHAR(io + PG0_ISR, (byte) 0xFF);
        return true;
    }

    /** Programs the rings, the station address and the multicast mask; leaves the card stopped and masked. */
    private void Setup(NicAdapter adapter) {
        long io = adapter.IOBase;
        WRITE_PORT_UCHAR(io + PG0_DCR, (byte) ((adapter.WordMode ? DCR_WTS : 0) | DCR_LS | DCR_FT10));
        WRITE_PORT_UCHAR(io + PG0_RBCR0, (byte) 0);
        WRITE_PORT_UCHAR(io + PG0_RBCR1, (byte) 0);
        WRITE_PORT_UCHAR(io + PG0_RCR, (byte) RCR_MON);
        WRITE_PORT_UCHAR(io + PG0_TCR, (byte) TCR_LOOP);
        WRITE_PORT_UCHAR(io + PG0_BNRY, (byte) adapter.PageStart);
        WRITE_PORT_UCHAR(io + PG0_PSTART, (byte) adapter.PageStart);
        WRITE_PORT_UCHAR(io + PG0_PSTOP, (byte) adapter.PageStop);
        WRITE_PORT_UCHAR(io + PG0_CR, (byte) (CR_STP | CR_RD2 | CR_PAGE1));
        for (int i = 0; i < 6; i++) {
            WRITE_PORT_UCHAR(io + PG1_PAR + i, adapter.StationAddress[i]);
        }
        for (int i = 0; i < 8; i++) {
            WRITE_PORT_UCHAR(io + PG1_MAR + i, adapter.MulticastAddressMask[i]);
        }
        WRITE_PORT_UCHAR(io + PG1_CURR, (byte) (adapter.PageStart + 1));
        WRITE_PORT_UCHAR(io + PG0_CR, (byte) (CR_STP | CR_RD2 | CR_PAGE0));
        WRITE_PORT_UCHAR(io + PG0_ISR, (byte) 0xFF);
        adapter.CurrentPage = adapter.PageStart + 1;
        adapter.NextPacket = adapter.PageStart + 1;
        adapter.BufferOverflow = false;
        adapter.ReceiveError = false;
        adapter.TransmitError = false;
    }

    /** Takes the card out of loopback and lets it receive. */
    private void StartNic(NicAdapter adapter) {
        WRITE_PORT_UCHAR(adapter.IOBase + PG0_CR, (byte) (CR_STA | CR_RD2 | CR_PAGE0));
        WRITE_PORT_UCHAR(adapter.IOBase + PG0_TCR, (byte) 0);
        WRITE_PORT_UCHAR(adapter.IOBase + PG0_RCR, (byte) (RCR_AB | RCR_AM | RCR_PRO));
    }

    // ------------------------------------------------------------------ PnP

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        NicAdapter adapter = (NicAdapter) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        if (stack.MinorFunction == IRP_MN_START_DEVICE) {
            int status = ForwardAndWait(adapter, Irp);
            if (NT_SUCCESS(status)) {
                status = StartDevice(adapter,
                        IoGetCurrentIrpStackLocation(Irp).Parameters.StartDevice.AllocatedResourcesTranslated);
            }
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        if (stack.MinorFunction == IRP_MN_STOP_DEVICE || stack.MinorFunction == IRP_MN_SURPRISE_REMOVAL) {
            StopDevice(adapter);
        } else if (stack.MinorFunction == IRP_MN_REMOVE_DEVICE) {
            StopDevice(adapter);
            IoSkipCurrentIrpStackLocation(Irp);
            int status = IoCallDriver(adapter.LowerDevice, Irp);
            IoDetachDevice(adapter.LowerDevice);
            IoDeleteDevice(DeviceObject);
            return status;
        }
        IoSkipCurrentIrpStackLocation(Irp);
        return IoCallDriver(adapter.LowerDevice, Irp);
    }

    private int ForwardAndWait(NicAdapter adapter, Irp Irp) {
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

    private int StartDevice(NicAdapter adapter, CmResourceList resources) {
        int vector = -1;
        int level = 0;
        long affinity = 0;
        int mode = LevelSensitive;
        for (CmPartialResourceDescriptor d : resources.List[0].PartialResourceList.PartialDescriptors) {
            if (d.Type == CmResourceTypePort) {
                adapter.IOBase = d.u.Port.Start;
            } else if (d.Type == CmResourceTypeInterrupt) {
                vector = d.u.Interrupt.Vector;
                level = d.u.Interrupt.Level;
                affinity = d.u.Interrupt.Affinity;
                mode = d.Flags == 1 ? Latched : LevelSensitive;
            }
        }
        if (adapter.IOBase == 0 || vector < 0) {
            return STATUS_DEVICE_NOT_READY;
        }
        if (!InitializeNic(adapter)) {
            return STATUS_DEVICE_NOT_READY;
        }
        Setup(adapter);
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::InterruptService, adapter.Self, null, vector, level, level,
                mode, mode == LevelSensitive, affinity, false);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        adapter.Interrupt = interrupt.value;
        KeSynchronizeExecution(adapter.Interrupt, this::EnableInterrupts, adapter);
        StartNic(adapter);
        IoStartTimer(adapter.Self);
        return STATUS_SUCCESS;
    }

    private void StopDevice(NicAdapter adapter) {
        IoStopTimer(adapter.Self);
        if (adapter.Interrupt != null) {
            KeSynchronizeExecution(adapter.Interrupt, this::DisableInterrupts, adapter);
            IoDisconnectInterrupt(adapter.Interrupt);
            adapter.Interrupt = null;
        }
        if (adapter.IOBase != 0) {
            WRITE_PORT_UCHAR(adapter.IOBase + PG0_CR, (byte) (CR_STP | CR_RD2 | CR_PAGE0));
            WRITE_PORT_UCHAR(adapter.IOBase + PG0_TCR, (byte) TCR_LOOP);
        }
    }

    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
    }
}
