package dev.dpccheck.kernel;

import dev.dpccheck.wdm.Wdm;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A virtual processor: its IRQL, its DPC queue, and the stack of what runs on it: at the bottom a
 * thread (or nothing, when idle), above it DPCs and ISRs that interrupted what was below.
 * See https://learn.microsoft.com/windows-hardware/drivers/kernel/managing-hardware-priorities
 */
final class Processor {
    final int number;
    int irql;
    final ArrayDeque<DpcObject> dpcQueue = new ArrayDeque<>();
    final List<KContext> stack = new ArrayList<>();
    /** This processor's virtual time in microseconds: it runs ahead of the machine's while others wait. */
    long clock;

    Processor(int number) {
        this.number = number;
    }

    KContext top() {
        return stack.isEmpty() ? null : stack.get(stack.size() - 1);
    }

    /** True when a DPC must run before anything else on this processor. */
    boolean mustDrainDpcs() {
        return irql < Wdm.DISPATCH_LEVEL && !dpcQueue.isEmpty();
    }

    @Override
    public String toString() {
        return "CPU" + number;
    }
}
