package dev.dpccheck.kernel;

import dev.dpccheck.kernel.hw.SimDevice;
import dev.dpccheck.wdm.Mdl;
import dev.dpccheck.wdm.Wdm;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulated address space: user buffers locked for direct I/O (what MDLs describe), the
 * system-space alias of a buffer ({@code MmGetSystemAddressForMdlSafe}), register windows mapped
 * with {@code MmMapIoSpace}, and the pools. Writes through the system alias reach the buffer the
 * user sees only when {@code KeFlushIoBuffers} says so, which is how a missing flush shows up as
 * stale bytes.
 */
final class MemoryManager {
    static final class Region {
        final long base;
        final byte[] user;
        byte[] system;

        Region(long base, byte[] user) {
            this.base = base;
            this.user = user;
        }

        boolean contains(long va, long length) {
            return va >= base && length >= 0 && va + length <= base + user.length;
        }
    }

    record IoMapping(long virtualBase, SimDevice device, int length) {
    }

    record PoolBlock(int poolType, int tag, boolean freed) {
    }

    private final TreeMap<Long, Region> regions = new TreeMap<>();
    private final IdentityHashMap<Mdl, Region> mdls = new IdentityHashMap<>();
    private final TreeMap<Long, IoMapping> ioMappings = new TreeMap<>();
    final Map<Object, PoolBlock> pool = new IdentityHashMap<>();
    private long nextUserVa = 0x0000_0100_0000_0000L;
    private long nextIoVa = 0xFFFF_F800_0000_0000L;

    /** Locks a user buffer at a page offset and returns the MDL describing it. */
    Mdl lockUserBuffer(byte[] buffer, int byteOffset) {
        long pageBase = nextUserVa;
        long base = pageBase + byteOffset;
        nextUserVa += ((byteOffset + buffer.length + Wdm.PAGE_SIZE - 1) / Wdm.PAGE_SIZE + 1L) * Wdm.PAGE_SIZE;
        Region r = new Region(base, buffer);
        regions.put(base, r);
        Mdl mdl = new Mdl();
        mdl.StartVa = pageBase;
        mdl.ByteOffset = byteOffset;
        mdl.ByteCount = buffer.length;
        mdls.put(mdl, r);
        return mdl;
    }

    Region regionOf(Mdl mdl) {
        return mdls.get(mdl);
    }

    Region regionAt(long va) {
        Map.Entry<Long, Region> e = regions.floorEntry(va);
        return e == null || !e.getValue().contains(va, 0) ? null : e.getValue();
    }

    /** The system alias of the MDL's buffer, created on first use with the buffer's content. */
    byte[] systemAddress(Mdl mdl) {
        Region r = mdls.get(mdl);
        if (r == null) {
            return null;
        }
        if (r.system == null) {
            r.system = r.user.clone();
        }
        return r.system;
    }

    /** KeFlushIoBuffers for a read: what was written through the alias becomes visible. */
    void flushIoBuffers(Mdl mdl, boolean readOperation) {
        Region r = mdls.get(mdl);
        if (r != null && r.system != null && readOperation) {
            System.arraycopy(r.system, 0, r.user, 0, r.user.length);
        }
    }

    /** True when bytes written through the system alias are not yet visible in the buffer. */
    boolean unflushed(Mdl mdl) {
        Region r = mdls.get(mdl);
        return r != null && r.system != null && !Arrays.equals(r.system, r.user);
    }

    void unlock(Mdl mdl) {
        Region r = mdls.remove(mdl);
        if (r != null) {
            regions.remove(r.base);
        }
    }

    long mapIoSpace(SimDevice device, int length) {
        long va = nextIoVa;
        nextIoVa += ((length + Wdm.PAGE_SIZE - 1) / Wdm.PAGE_SIZE + 1L) * Wdm.PAGE_SIZE;
        ioMappings.put(va, new IoMapping(va, device, length));
        return va;
    }

    /** Unmaps the mapping that holds {@code va} (MmMapIoSpace may return an address inside a mapping). */
    boolean unmapIoSpace(long va) {
        Map.Entry<Long, IoMapping> e = ioMappings.floorEntry(va);
        if (e == null || va >= e.getKey() + Math.max(1, e.getValue().length())) {
            return false;
        }
        return ioMappings.remove(e.getKey()) != null;
    }

    IoMapping ioMappingAt(long va, int width) {
        Map.Entry<Long, IoMapping> e = ioMappings.floorEntry(va);
        if (e == null) {
            return null;
        }
        IoMapping m = e.getValue();
        return va + width <= m.virtualBase + m.length ? m : null;
    }

    boolean isPaged(Object p) {
        PoolBlock b = p == null ? null : pool.get(p);
        return b != null && b.poolType == Wdm.PagedPool;
    }
}
