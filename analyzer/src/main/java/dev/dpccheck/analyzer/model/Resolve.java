package dev.dpccheck.analyzer.model;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import spoon.reflect.declaration.CtExecutable;
import spoon.reflect.declaration.CtField;
import spoon.reflect.factory.Factory;
import spoon.reflect.reference.CtExecutableReference;
import spoon.reflect.reference.CtFieldReference;

/**
 * Declarations of references, resolved one at a time per model. Resolving can write to the model
 * (Spoon caches anonymous and local types as it goes), and the rules run on several threads, so
 * every resolution goes through here, under the model's factory lock, and is remembered per
 * reference. The memory belongs to the factory and goes away with it.
 */
public final class Resolve {
    private static final Map<Factory, Map<Object, Object>> MEMO = new WeakHashMap<>();
    private static final Object NONE = new Object();

    private Resolve() {
    }

    /** The declaration a method or constructor reference points to, or null. */
    public static CtExecutable<?> declaration(CtExecutableReference<?> ref) {
        return (CtExecutable<?>) resolve(ref.getFactory(), ref, () -> ref.getExecutableDeclaration());
    }

    /** The declaration a field reference points to, or null. */
    public static CtField<?> declaration(CtFieldReference<?> ref) {
        return (CtField<?>) resolve(ref.getFactory(), ref, () -> ref.getFieldDeclaration());
    }

    /** A value derived from an element, computed once per element under the model's lock. */
    public static Object memo(Factory factory, Object element, java.util.function.Supplier<Object> compute) {
        return resolve(factory, element, compute);
    }

    private static Object resolve(Factory factory, Object key, java.util.function.Supplier<Object> compute) {
        synchronized (factory) {
            Map<Object, Object> memo;
            synchronized (MEMO) {
                memo = MEMO.computeIfAbsent(factory, f -> new IdentityHashMap<>());
            }
            Object v = memo.get(key);
            if (v == null) {
                v = compute.get();
                memo.put(key, v == null ? NONE : v);
            }
            return v == NONE ? null : v;
        }
    }
}
