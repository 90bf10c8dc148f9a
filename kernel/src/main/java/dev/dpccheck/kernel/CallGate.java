package dev.dpccheck.kernel;

import dev.dpccheck.kernel.verifier.*;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one door from driver code into the kernel: every WDM routine and every DMA operation passes
 * here. It is a scheduling point, checks the routine's IRQL contract (read from the annotations
 * of the API method the driver called) against the calling processor's IRQL, then carries the
 * call out. When the call leaves the processor below DISPATCH_LEVEL with DPCs queued, they run
 * before the caller goes on. The routines are carried out by the kernel's components (Ke, Io, Hal,
 * Mm, Ex, Rtl), each implementing its routines under their WDK names; every routine of the
 * interface must have exactly one implementation, which the gate checks when it is built.
 */
final class CallGate implements InvocationHandler {
    private final Kernel kernel;
    private final List<?> targets;
    private final Map<Method, Entry> entries;

    /** How a routine is carried out: by the target at {@code index}, with {@code implementation}. */
    private record Entry(int index, Method implementation, IrqlContract contract, String name) {
    }

    /** The resolution of each interface and set of component classes, made once per JVM. */
    private static final Map<List<Class<?>>, Map<Method, Entry>> RESOLVED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param routines the interface the driver's calls arrive through
     * @param targets the objects that carry the routines out, one implementation per routine
     * @param contracts the class whose methods carry the IRQL contracts (the API facade)
     */
    CallGate(Kernel kernel, Class<?> routines, List<?> targets, Class<?> contracts) {
        this.kernel = kernel;
        this.targets = targets;
        List<Class<?>> key = new ArrayList<>();
        key.add(routines);
        key.add(contracts);
        targets.forEach(t -> key.add(t.getClass()));
        this.entries = RESOLVED.computeIfAbsent(key, k -> resolve(routines, targets, contracts));
    }

    private static Map<Method, Entry> resolve(Class<?> routines, List<?> targets, Class<?> contracts) {
        Map<Method, Entry> entries = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Method m : routines.getMethods()) {
            List<Integer> found = new ArrayList<>();
            Method impl = null;
            for (int i = 0; i < targets.size(); i++) {
                try {
                    impl = targets.get(i).getClass().getMethod(m.getName(), m.getParameterTypes());
                    found.add(i);
                } catch (NoSuchMethodException e) {
                    // another component's
                }
            }
            if (found.size() != 1) {
                problems.add(m.getName() + " has " + found.size() + " implementations");
                continue;
            }
            try {
                Method declared = contracts.getMethod(m.getName(), m.getParameterTypes());
                impl.setAccessible(true);
                entries.put(m, new Entry(found.get(0), impl, IrqlContract.of(declared), m.getName()));
            } catch (NoSuchMethodException e) {
                problems.add(m.getName() + " has no contract on " + contracts.getSimpleName());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the kernel's routines do not match " + routines.getSimpleName() + ": "
                    + problems);
        }
        return entries;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return method.invoke(this, args);
        }
        Scheduler scheduler = kernel.scheduler;
        KContext self = scheduler.current();
        if (scheduler.aborting() || self == null || self.worker == null || self.worker.thread != Thread.currentThread()) {
            throw new ScheduleAbort();
        }
        Entry e = entries.get(method);
        self.pending.call(e.name, args);
        scheduler.yieldPoint(self);
        self.pending.done();
        kernel.executive.beforeCall(self, e.name, args);
        checkIrql(self, e, args);
        Object result;
        int irql = self.cpu == null ? -1 : self.cpu.irql;
        try {
            result = e.implementation.invoke(targets.get(e.index), args);
        } catch (InvocationTargetException ite) {
            throw ite.getCause();
        }
        if (kernel.trace != null) {
            kernel.trace.call(self, e.name, args, result, irql);
        }
        if (self.cpu != null && self.cpu.mustDrainDpcs()) {
            scheduler.yieldPoint(self);
        }
        return result;
    }

    private void checkIrql(KContext self, Entry e, Object[] args) {
        IrqlContract c = e.contract;
        if (!c.declared()) {
            return;
        }
        int irql = self.cpu.irql;
        int max = c.maxFor(args);
        if (irql > max) {
            String need = c.min == max ? "at " + IrqlContract.irqlName(max) : "at or below " + IrqlContract.irqlName(max);
            if (c.min == c.max && c.min == max && max == dev.dpccheck.wdm.Wdm.DISPATCH_LEVEL) {
                kernel.monitor(IrqlDispatch.class).called(e.name, irql, need + e.contract.maxReason(args));
            } else {
                kernel.monitor(IrqlTooHigh.class).called(e.name, irql, need, e.contract.maxReason(args));
            }
            kernel.executive.irqlViolationIsFatal(e.name, args);
        } else if (irql < c.min) {
            String need = c.min == c.max ? "at " + IrqlContract.irqlName(c.min) : "at or above " + IrqlContract.irqlName(c.min);
            if (c.min == c.max && c.min == dev.dpccheck.wdm.Wdm.DISPATCH_LEVEL) {
                kernel.monitor(IrqlDispatch.class).called(e.name, irql, need);
            } else {
                kernel.monitor(IrqlTooLow.class).called(e.name, irql, need);
            }
        }
    }
}
