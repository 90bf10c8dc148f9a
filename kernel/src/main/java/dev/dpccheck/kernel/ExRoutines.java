package dev.dpccheck.kernel;

import dev.dpccheck.kernel.verifier.*;
import dev.dpccheck.wdm.*;

/**
 * The executive's pool (Ex): allocations, with their pool type and tag, and frees; and the
 * interlocked list routines, which change a list holding a spin lock. Under fault injection an
 * allocation made once the devices have started fails at the fault rate, as Driver Verifier's
 * low resources simulation fails them after the system has booted: the driver must check for NULL.
 */
final class ExRoutines extends Routines {
    ExRoutines(Kernel k) {
        super(k);
    }

    // ---------------------------------------------------------------- pool and memory

    /** Whether this allocation fails, as Driver Verifier's low resources simulation would fail it. */
    private boolean lowOnResources() {
        return k.devicesStarted && k.refuses();
    }

    public byte[] ExAllocatePoolWithTag(int PoolType, long NumberOfBytes, int Tag) {
        if (lowOnResources()) {
            return null;
        }
        byte[] b = new byte[(int) NumberOfBytes];
        k.memory.pool.put(b, new MemoryManager.PoolBlock(PoolType, Tag, false));
        return b;
    }

    public <T> T ExAllocatePoolWithTag(int PoolType, Class<T> NumberOfBytes, int Tag) {
        if (lowOnResources()) {
            return null;
        }
        T t = NumberOfBytes.cast(instantiate(NumberOfBytes));
        k.memory.pool.put(t, new MemoryManager.PoolBlock(PoolType, Tag, false));
        return t;
    }

    public void ExFreePoolWithTag(Object P, int Tag) {
        MemoryManager.PoolBlock b = P == null ? null : k.memory.pool.get(P);
        if (b == null || b.freed()) {
            throw k.monitor(BadPoolCaller.class).badFree();
        }
        if (b.poolType() == Wdm.PagedPool && cpu().irql > Wdm.APC_LEVEL) {
            k.monitor(IrqlTooHigh.class).pagedPoolFreed(cpu().irql);
        }
        k.memory.pool.put(P, new MemoryManager.PoolBlock(b.poolType(), b.tag(), true));
    }

    // ---------------------------------------------------------------- interlocked lists

    public ListEntry ExInterlockedInsertTailList(ListEntry ListHead, ListEntry ListEntry, KSpinLock Lock) {
        return interlocked(Lock, () -> {
            ListEntry last = ListHead.Blink == ListHead ? null : ListHead.Blink;
            executive().rtl.insert(ListHead, ListEntry, true, "ExInterlockedInsertTailList");
            return last;
        });
    }

    public ListEntry ExInterlockedInsertHeadList(ListEntry ListHead, ListEntry ListEntry, KSpinLock Lock) {
        return interlocked(Lock, () -> {
            ListEntry first = ListHead.Flink == ListHead ? null : ListHead.Flink;
            executive().rtl.insert(ListHead, ListEntry, false, "ExInterlockedInsertHeadList");
            return first;
        });
    }

    public ListEntry ExInterlockedRemoveHeadList(ListEntry ListHead, KSpinLock Lock) {
        return interlocked(Lock, () -> {
            RtlRoutines rtl = executive().rtl;
            rtl.head(ListHead, "ExInterlockedRemoveHeadList", true);
            return ListHead.Flink == ListHead ? null
                    : rtl.taken(rtl.unlink(ListHead.Flink, "ExInterlockedRemoveHeadList"), "ExInterlockedRemoveHeadList");
        });
    }

    /** Runs a list operation holding the spin lock, as the interlocked routines do with interrupts off. */
    private ListEntry interlocked(KSpinLock lock, java.util.function.Supplier<ListEntry> operation) {
        KeRoutines ke = executive().ke;
        SpinLockObject l = ke.spinLock(lock);
        ke.acquire(self(), l);
        try {
            return operation.get();
        } finally {
            ke.release(self(), l);
        }
    }
}
