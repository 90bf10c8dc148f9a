package dev.dpccheck.kernel;

import dev.dpccheck.kernel.verifier.*;
import dev.dpccheck.wdm.*;
import java.lang.reflect.Constructor;

/**
 * One component of the simulated kernel's routines. {@link CallGate} carries each WDM routine out
 * on the component that has a public method of its name and parameters; the components reach one
 * another through {@link Executive}.
 */
abstract class Routines {
    final Kernel k;

    Routines(Kernel k) {
        this.k = k;
    }

    KContext self() {
        return k.scheduler.current();
    }

    Processor cpu() {
        return self().cpu;
    }

    Executive executive() {
        return k.executive;
    }

    /**
     * The kernel's state of an object the driver hands in (a KDPC, a KSPIN_LOCK, ...); a bug check
     * InvalidObject, {@code whenMissing}, for one the kernel did not create or that was never initialized.
     */
    <H, V> V object(java.util.Map<H, V> objects, H handle, String whenMissing) {
        V o = handle == null ? null : objects.get(handle);
        if (o == null) {
            throw k.monitor(InvalidObject.class).notAnObject(whenMissing);
        }
        return o;
    }

    Object instantiate(Class<?> type) {
        try {
            Constructor<?> c = type.getDeclaredConstructor();
            c.setAccessible(true);
            return c.newInstance();
        } catch (ReflectiveOperationException e) {
            throw k.monitor(InvalidObject.class).notAnObject("'" + type.getSimpleName()
                    + "' has no constructor without parameters.");
        }
    }
}
