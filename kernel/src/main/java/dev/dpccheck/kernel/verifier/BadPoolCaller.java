package dev.dpccheck.kernel.verifier;

/** Freeing memory the pool did not hand out, or freeing it twice (bug check BAD_POOL_CALLER). */
public final class BadPoolCaller extends Monitor {
    public BadPoolCaller() {
        super("BadPoolCaller", Component.EX,
                "Pool memory is freed twice, or memory the pool never allocated is freed.",
                "every pool free, against the allocations the pool made and those already freed");
    }

    /** ExFreePoolWithTag of memory that is not a live allocation: a bug check. */
    public RuntimeException badFree() {
        return bugCheck("'ExFreePoolWithTag' frees memory that is not an allocation or was freed before.");
    }
}
