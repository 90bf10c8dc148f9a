package dev.dpccheck.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the test drivers of {@link KernelSemanticsTest} observed from inside the simulation. The
 * drivers are compiled against the test classes and call it from their routines; the kernel runs
 * one context at a time, so no two calls overlap.
 */
public final class Probe {
    private static final Map<String, List<Object>> VALUES = new TreeMap<>();

    private Probe() {
    }

    /** Records one observation under {@code key}. */
    public static synchronized void record(String key, Object value) {
        VALUES.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    static synchronized List<Object> values(String key) {
        return List.copyOf(VALUES.getOrDefault(key, List.of()));
    }

    static synchronized void reset() {
        VALUES.clear();
    }
}
