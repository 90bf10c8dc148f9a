package dev.dpccheck.analyzer.model;

import spoon.reflect.declaration.CtExecutable;
import spoon.reflect.declaration.CtField;
import spoon.reflect.factory.Factory;
import spoon.reflect.reference.CtExecutableReference;
import spoon.reflect.reference.CtFieldReference;

/**
 * Declarations of references, resolved one at a time per model. Resolving can write to the model
 * (Spoon caches anonymous and local types as it goes), and the rules run on several threads, so
 * every resolution goes through here, under the model's factory lock, and is remembered per
 * reference. The memory is kept in the model and goes away with it.
 */
public final class Resolve {
    private static final String MEMO = "dpccheck.resolve";
    private static final Object NONE = new Object();

    /** A key that compares its element by identity (Spoon's elements compare by structure), and what is asked of it. */
    private record Identity(String kind, Object element) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity i && i.element == element && i.kind.equals(kind);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(element) * 31 + kind.hashCode();
        }
    }

    private Resolve() {
    }

    /** The declaration a method or constructor reference points to, or null. */
    public static CtExecutable<?> declaration(CtExecutableReference<?> ref) {
        return (CtExecutable<?>) resolve(ref.getFactory(), "declaration", ref, () -> ref.getExecutableDeclaration());
    }

    /** The declaration a field reference points to, or null. */
    public static CtField<?> declaration(CtFieldReference<?> ref) {
        return (CtField<?>) resolve(ref.getFactory(), "declaration", ref, () -> ref.getFieldDeclaration());
    }

    /** Whether a local is assigned after its declaration (its initializer then does not say what it holds). */
    public static boolean localAssigned(spoon.reflect.code.CtLocalVariable<?> l) {
        return (Boolean) memo(l.getFactory(), "localAssigned", l, () -> {
            spoon.reflect.declaration.CtExecutable<?> m = l.getParent(spoon.reflect.declaration.CtExecutable.class);
            if (m == null) {
                return true;
            }
            for (spoon.reflect.code.CtVariableWrite<?> w : m.getElements(
                    new spoon.reflect.visitor.filter.TypeFilter<>(spoon.reflect.code.CtVariableWrite.class))) {
                if (l.getReference().equals(w.getVariable())) {
                    return true;
                }
            }
            return false;
        });
    }

    /** A value derived from an element, computed once per element and kind of question under the model's lock. */
    public static Object memo(Factory factory, String kind, Object element, java.util.function.Supplier<Object> compute) {
        return resolve(factory, kind, element, compute);
    }

    /** The memory of a model, kept in the model itself (as metadata of its root package), so it dies with it. */
    @SuppressWarnings("unchecked")
    private static java.util.concurrent.ConcurrentHashMap<Identity, Object> memo(Factory factory) {
        spoon.reflect.declaration.CtPackage root = factory.getModel().getRootPackage();
        synchronized (root) {
            Object m = root.getMetadata(MEMO);
            if (m == null) {
                m = new java.util.concurrent.ConcurrentHashMap<Identity, Object>();
                root.putMetadata(MEMO, m);
            }
            return (java.util.concurrent.ConcurrentHashMap<Identity, Object>) m;
        }
    }

    private static Object resolve(Factory factory, String kind, Object key, java.util.function.Supplier<Object> compute) {
        java.util.concurrent.ConcurrentHashMap<Identity, Object> memo = memo(factory);
        Identity id = new Identity(kind, key);
        Object v = memo.get(id);
        if (v == null) {
            // resolving may write to the model: one resolution at a time per model
            synchronized (factory) {
                v = memo.get(id);
                if (v == null) {
                    v = compute.get();
                    memo.put(id, v == null ? NONE : v);
                }
            }
        }
        return v == NONE ? null : v;
    }
}
