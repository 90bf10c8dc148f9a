package dev.dpccheck.kernel;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;

/**
 * The one door from driver code into the kernel: every WDM routine and every DMA operation passes
 * here. It is a scheduling point, checks the routine's IRQL contract (read from the annotations
 * of the API method the driver called) against the calling processor's IRQL, then carries the
 * call out. When the call leaves the processor below DISPATCH_LEVEL with DPCs queued, they run
 * before the caller goes on.
 */
final class CallGate implements InvocationHandler {
    private final Kernel kernel;
    private final Object target;
    private final Class<?> contracts;
    private final Map<Method, Entry> entries = new HashMap<>();

    private record Entry(Method implementation, IrqlContract contract, String name) {
    }

    CallGate(Kernel kernel, Object target, Class<?> contracts) {
        this.kernel = kernel;
        this.target = target;
        this.contracts = contracts;
    }

    private Entry entry(Method m) {
        return entries.computeIfAbsent(m, key -> {
            try {
                Method impl = target.getClass().getMethod(key.getName(), key.getParameterTypes());
                Method declared = contracts.getMethod(key.getName(), key.getParameterTypes());
                return new Entry(impl, IrqlContract.of(declared), key.getName());
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("the kernel does not implement " + key, e);
            }
        });
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
        Entry e = entry(method);
        self.pending.call(e.name, args);
        scheduler.yieldPoint(self);
        self.pending.done();
        kernel.executive.beforeCall(self, e.name, args);
        checkIrql(self, e, args);
        Object result;
        int irql = self.cpu == null ? -1 : self.cpu.irql;
        try {
            result = e.implementation.invoke(target, args);
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
            String rule = c.min == c.max && c.min == max && max == dev.dpccheck.wdm.Wdm.DISPATCH_LEVEL ? "IrqlDispatch" : "IrqlTooHigh";
            String need = c.min == max ? "at " + IrqlContract.irqlName(max) : "at or below " + IrqlContract.irqlName(max);
            kernel.report(rule, "'" + e.name + "' is called at " + IrqlContract.irqlName(irql) + "; it must be called "
                    + need + e.contract.maxReason(args) + ".", null);
            kernel.executive.irqlViolationIsFatal(e.name, args);
        } else if (irql < c.min) {
            String rule = c.min == c.max && c.min == dev.dpccheck.wdm.Wdm.DISPATCH_LEVEL ? "IrqlDispatch" : "IrqlTooLow";
            String need = c.min == c.max ? "at " + IrqlContract.irqlName(c.min) : "at or above " + IrqlContract.irqlName(c.min);
            kernel.report(rule, "'" + e.name + "' is called at " + IrqlContract.irqlName(irql) + "; it must be called "
                    + need + ".", null);
        }
    }
}
