package dev.dpccheck.kernel;

import dev.dpccheck.kernel.verifier.*;
import dev.dpccheck.kernel.hw.SimDevice;
import dev.dpccheck.wdm.DeviceObject;
import dev.dpccheck.wdm.DmaAdapter;
import dev.dpccheck.wdm.DmaOperations;
import dev.dpccheck.wdm.DriverControl;
import dev.dpccheck.wdm.DriverListControl;
import dev.dpccheck.wdm.Irp;
import dev.dpccheck.wdm.Mdl;
import dev.dpccheck.wdm.Out;
import dev.dpccheck.wdm.ScatterGatherList;
import dev.dpccheck.wdm.Wdm;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A packet-based DMA adapter for a bus-master device: one adapter channel, map registers that
 * double-buffer each transfer (so device-to-memory data reaches memory only at
 * FlushAdapterBuffers), and the Driver Verifier style checks of its use: flush before the IRP is
 * completed or the next transfer is mapped, free once and only once, no use after free.
 * See https://learn.microsoft.com/windows-hardware/drivers/kernel/using-packet-based-dma
 */
final class DmaAdapterObject implements DmaOperations {
    /** A set of map registers handed to AdapterControl (the MapRegisterBase). */
    static final class MapRegisters {
        final int count;
        final long logicalBase;
        boolean freed;
        /** The pieces mapped since the last flush, in order (several when a driver builds a scatter/gather list). */
        final List<Mapping> mappings = new ArrayList<>();
        /** Map registers those pieces use. */
        int pagesUsed;
        Irp irp;
        DeviceObject device;
        /** The routine whose context completed the request the channel was granted for; null while it is under way. */
        RoutineFrame completedBy;
        /** The routine in whose context the channel was granted (AdapterControl ran). */
        RoutineFrame grantedIn;
        /** The driver line that asked for the map registers (the AllocateAdapterChannel call, in the routine's own code). */
        StackTraceElement allocatedAt;
        /** Set once a leak of them was reported, so that a later check does not report it again. */
        boolean leakReported;

        MapRegisters(int count, long logicalBase) {
            this.count = count;
            this.logicalBase = logicalBase;
        }
    }

    /** One mapped piece of a buffer. */
    static final class Mapping {
        final Mdl mdl;
        final long va;
        final int length;
        final boolean writeToDevice;
        final byte[] bounce;
        final long logical;
        /** Set once a DPC ran after the mapping: the transfer it was for is over and must be flushed. */
        boolean ended;

        Mapping(Mdl mdl, long va, int length, boolean writeToDevice, long logical) {
            this.mdl = mdl;
            this.va = va;
            this.length = length;
            this.writeToDevice = writeToDevice;
            this.bounce = new byte[length];
            this.logical = logical;
            Arrays.fill(bounce, (byte) 0xDD);
        }
    }

    private final Kernel k;
    final SimDevice device;
    final DmaAdapter adapter = new DmaAdapter();
    final int mapRegistersPerTransfer;
    private final List<MapRegisters> allocated = new ArrayList<>();
    private final ArrayDeque<Object[]> waiting = new ArrayDeque<>();
    private MapRegisters channel;
    private long nextLogical = 0x8000_0000L;
    private boolean released;

    DmaAdapterObject(Kernel k, SimDevice device, int maximumLength) {
        this.k = k;
        this.device = device;
        int max = Math.min(Math.max(maximumLength, Wdm.PAGE_SIZE), device.resources().maximumTransfer());
        this.mapRegistersPerTransfer = max / Wdm.PAGE_SIZE + 1;
        adapter.Version = 1;
        adapter.DmaOperations = (DmaOperations) Proxy.newProxyInstance(DmaOperations.class.getClassLoader(),
                new Class<?>[] {DmaOperations.class}, new CallGate(k, DmaOperations.class, List.of(this), DmaOperations.class));
    }

    private MapRegisters base(Object mapRegisterBase, String routine) {
        if (!(mapRegisterBase instanceof MapRegisters m) || !allocated.contains(m)) {
            throw k.monitor(DmaResourceLeak.class).foreignBase(routine);
        }
        return m;
    }

    @Override
    public int AllocateAdapterChannel(DmaAdapter DmaAdapter, DeviceObject DeviceObject, int NumberOfMapRegisters,
            DriverControl ExecutionRoutine, Object Context) {
        if (NumberOfMapRegisters > mapRegistersPerTransfer) {
            return Wdm.STATUS_INSUFFICIENT_RESOURCES;
        }
        if (channel != null) {
            // a channel kept past the completion of its IRP is reported where the routine that
            // completed it returns (checkDpcExit), not here where the next operation waits for it
            Object[] request = {DeviceObject, NumberOfMapRegisters, ExecutionRoutine, Context};
            // the AdapterControl routine runs later, in whichever context frees the channel: after this request
            k.hb.release(k.scheduler.current(), request);
            waiting.add(request);
            return Wdm.STATUS_SUCCESS;
        }
        grant(DeviceObject, NumberOfMapRegisters, ExecutionRoutine, Context);
        return Wdm.STATUS_SUCCESS;
    }

    private void grant(DeviceObject d, int count, DriverControl routine, Object context) {
        MapRegisters m = new MapRegisters(count, nextLogical);
        nextLogical += (long) (count + 1) * Wdm.PAGE_SIZE;
        m.device = d;
        KContext granting = k.scheduler.current();
        m.grantedIn = granting == null || granting.frames.isEmpty() ? null : granting.frames.get(0);
        m.allocatedAt = granting == null ? null : k.routineSite(granting);
        // the request the channel serves: the device's current IRP, or for a driver that keeps its own
        // queue, the IRP the DPC took off that queue to start, or the IRP of the dispatch routine that
        // started it (null when a DPC started a request the kernel did not see it take)
        m.irp = d.CurrentIrp != null ? d.CurrentIrp
                : m.grantedIn != null && m.grantedIn.startedIrp instanceof Irp i ? i
                : m.grantedIn != null && m.grantedIn.irp instanceof Irp i ? i : null;
        allocated.add(m);
        channel = m;
        int action = k.invoke(RoutineFrame.Role.CONTROL, () -> {
            k.scheduler.current().frame().device = d;
            return routine.Control(d, d.CurrentIrp, m, context);
        });
        if (action == Wdm.DeallocateObject) {
            m.freed = true;
            allocated.remove(m);
            releaseChannel();
        } else if (action == Wdm.DeallocateObjectKeepRegisters) {
            releaseChannel();
        }
    }

    private void releaseChannel() {
        channel = null;
        Object[] next = waiting.poll();
        if (next != null) {
            k.hb.acquire(k.scheduler.current(), next);
            grant((DeviceObject) next[0], (Integer) next[1], (DriverControl) next[2], next[3]);
        }
    }

    @Override
    public long MapTransfer(DmaAdapter DmaAdapter, Mdl Mdl, Object MapRegisterBase, long CurrentVa, Out<Integer> Length,
            boolean WriteToDevice) {
        MapRegisters m = base(MapRegisterBase, "MapTransfer");
        if (m.freed) {
            k.monitor(DmaResourceLeak.class).usedAfterFree();
        }
        if (m.mappings.stream().anyMatch(x -> x.ended)) {
            k.monitor(DmaFlushMissing.class).mappedBeforeFlush();
            // what the unflushed transfer moved never reaches the buffer
            m.mappings.clear();
            m.pagesUsed = 0;
        }
        MemoryManager.Region r = k.memory.regionOf(Mdl);
        if (r == null || !r.contains(CurrentVa, Length.value)) {
            throw k.monitor(InvalidDmaRequest.class).outsideMdl();
        }
        long pageOffset = CurrentVa & (Wdm.PAGE_SIZE - 1);
        int capacity = (int) ((long) (m.count - m.pagesUsed) * Wdm.PAGE_SIZE - pageOffset);
        int length = Math.max(0, Math.min(Length.value, capacity));
        Mapping mp = new Mapping(Mdl, CurrentVa, length, WriteToDevice,
                m.logicalBase + (long) m.pagesUsed * Wdm.PAGE_SIZE + pageOffset);
        if (WriteToDevice) {
            System.arraycopy(r.user, (int) (CurrentVa - r.base), mp.bounce, 0, length);
        }
        m.mappings.add(mp);
        m.pagesUsed += (int) ((pageOffset + length + Wdm.PAGE_SIZE - 1) / Wdm.PAGE_SIZE);
        Length.value = length;
        return mp.logical;
    }

    @Override
    public boolean FlushAdapterBuffers(DmaAdapter DmaAdapter, Mdl Mdl, Object MapRegisterBase, long CurrentVa,
            int Length, boolean WriteToDevice) {
        MapRegisters m = base(MapRegisterBase, "FlushAdapterBuffers");
        // one flush ends the whole transfer: every piece mapped for it
        for (Mapping mp : m.mappings) {
            if (!mp.writeToDevice) {
                MemoryManager.Region r = k.memory.regionOf(mp.mdl);
                if (r != null) {
                    System.arraycopy(mp.bounce, 0, r.user, (int) (mp.va - r.base), mp.length);
                }
            }
        }
        m.mappings.clear();
        m.pagesUsed = 0;
        return true;
    }

    /** A DPC is running: the transfers mapped so far are over and wait for their flush. */
    void transfersEnded() {
        for (MapRegisters m : allocated) {
            for (Mapping mp : m.mappings) {
                mp.ended = true;
            }
        }
    }

    @Override
    public void FreeAdapterChannel(DmaAdapter DmaAdapter) {
        if (channel == null) {
            k.monitor(DmaResourceLeak.class).channelNotAllocated();
            return;
        }
        checkFlushedBeforeFree(channel, "FreeAdapterChannel");
        channel.freed = true;
        allocated.remove(channel);
        releaseChannel();
    }

    @Override
    public void FreeMapRegisters(DmaAdapter DmaAdapter, Object MapRegisterBase, int NumberOfMapRegisters) {
        MapRegisters m = base(MapRegisterBase, "FreeMapRegisters");
        if (m.freed) {
            k.monitor(DmaResourceLeak.class).mapRegistersFreedTwice();
            return;
        }
        checkFlushedBeforeFree(m, "FreeMapRegisters");
        m.freed = true;
        allocated.remove(m);
    }

    private void checkFlushedBeforeFree(MapRegisters m, String routine) {
        if (!m.mappings.isEmpty()) {
            k.monitor(DmaFlushMissing.class).freedBeforeFlush(routine);
        }
    }

    @Override
    public int GetScatterGatherList(DmaAdapter DmaAdapter, DeviceObject DeviceObject, Mdl Mdl, long CurrentVa,
            int Length, DriverListControl ExecutionRoutine, Object Context, boolean WriteToDevice) {
        int pages = (int) (((CurrentVa & (Wdm.PAGE_SIZE - 1)) + Length + Wdm.PAGE_SIZE - 1) / Wdm.PAGE_SIZE);
        MapRegisters m = new MapRegisters(pages, nextLogical);
        nextLogical += (long) (pages + 1) * Wdm.PAGE_SIZE;
        allocated.add(m);
        Out<Integer> len = new Out<>(Length);
        long logical = MapTransfer(DmaAdapter, Mdl, m, CurrentVa, len, WriteToDevice);
        ScatterGatherList sgl = new ScatterGatherList();
        ScatterGatherList.Element e = new ScatterGatherList.Element();
        e.Address = logical;
        e.Length = len.value;
        sgl.NumberOfElements = 1;
        sgl.Elements = new ScatterGatherList.Element[] {e};
        sgLists.add(new Object[] {sgl, m});
        k.invoke(RoutineFrame.Role.LIST_CONTROL, () -> {
            ExecutionRoutine.AdapterListControl(DeviceObject, DeviceObject.CurrentIrp, sgl, Context);
            return 0;
        });
        return Wdm.STATUS_SUCCESS;
    }

    private final List<Object[]> sgLists = new ArrayList<>();

    @Override
    public void PutScatterGatherList(DmaAdapter DmaAdapter, ScatterGatherList ScatterGather, boolean WriteToDevice) {
        for (Object[] e : sgLists) {
            if (e[0] == ScatterGather) {
                MapRegisters m = (MapRegisters) e[1];
                FlushAdapterBuffers(DmaAdapter, null, m, 0, 0, WriteToDevice);
                m.freed = true;
                allocated.remove(m);
                sgLists.remove(e);
                return;
            }
        }
        k.monitor(DmaResourceLeak.class).listNotOutstanding();
    }

    @Override
    public void PutDmaAdapter(DmaAdapter DmaAdapter) {
        checkReleased();
        released = true;
    }

    /** The device moves data through the map registers. */
    boolean deviceTransfer(long logical, byte[] data, int offset, int length, boolean toMemory) {
        for (MapRegisters m : allocated) {
            for (Mapping mp : m.mappings) {
                if (logical >= mp.logical && logical + length <= mp.logical + mp.length) {
                    int at = (int) (logical - mp.logical);
                    if (toMemory) {
                        System.arraycopy(data, offset, mp.bounce, at, length);
                    } else {
                        System.arraycopy(mp.bounce, at, data, offset, length);
                    }
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * An IRP of {@code target} is completed in {@code by}: the channel granted for it (for its
     * device's current IRP, or for the device when the driver keeps its own queue and has no
     * current IRP) has served its request.
     */
    void beforeCompletion(Irp irp, DeviceObject target, RoutineFrame by) {
        for (MapRegisters m : allocated) {
            // a channel the completing routine was granted itself serves the next request, not this one
            if (m.irp == irp || (m.irp == null && m.device == target && target != null && m.grantedIn != by)) {
                m.completedBy = by;
            }
            if (m.mappings.stream().anyMatch(mp -> mp.mdl == irp.MdlAddress)) {
                k.monitor(DmaFlushMissing.class).completedBeforeFlush();
            }
        }
    }

    void checkDpcExit(RoutineFrame frame) {
        // reported where the routine that completed the request returns, not at every later DPC of the device
        if (channel != null && channel.completedBy == frame && !channel.leakReported) {
            channel.leakReported = true;
            k.monitor(DmaResourceLeak.class).completerReturns();
        }
    }

    /**
     * When a run stalls: an adapter channel still allocated for a request that was completed is
     * leaked (what waits for the channel waits forever), reported where it was asked for, unless the
     * routine that completed the request was already reported.
     */
    void checkLeakAtStall() {
        if (channel != null && !channel.leakReported && (channel.completedBy != null
                || channel.irp != null && k.io.irps.containsKey(channel.irp) && k.io.irps.get(channel.irp).completed)) {
            channel.leakReported = true;
            k.monitor(DmaResourceLeak.class).channelNeverFreed(device.name(), channel.allocatedAt);
        }
    }

    void checkReleased() {
        if (released) {
            return;
        }
        if (channel != null && !channel.leakReported) {
            channel.leakReported = true;
            k.monitor(DmaResourceLeak.class).channelNeverFreed(device.name(), channel.allocatedAt);
        }
        for (MapRegisters m : allocated) {
            if (!m.freed && m != channel && !m.leakReported) {
                m.leakReported = true;
                k.monitor(DmaResourceLeak.class).mapRegistersNeverFreed(device.name(), m.allocatedAt);
                break;
            }
        }
    }
}
