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
