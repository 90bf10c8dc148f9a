package dev.dpccheck.kernel.verifier;

import java.util.HashMap;
import java.util.Map;

/** One kernel's monitors, each reporting to that kernel: the catalog instantiated for one schedule. */
public final class Verifier {
    private final Map<Class<? extends Monitor>, Monitor> monitors = new HashMap<>();

    public Verifier(Sink sink) {
        for (Monitor m : Catalog.monitors()) {
            m.attach(sink);
            monitors.put(m.getClass(), m);
        }
    }

    /** This kernel's monitor of a class. */
    public <T extends Monitor> T get(Class<T> type) {
        return type.cast(monitors.get(type));
    }
}
