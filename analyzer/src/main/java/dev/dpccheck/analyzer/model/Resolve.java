package dev.dpccheck.analyzer.model;

import spoon.reflect.declaration.CtElement;
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

    /**
     * The declaration a method or constructor reference points to, or null: in the type of the
     * sources that declares it when there is one ({@link #type}), else as Spoon resolves it.
     */
    public static CtExecutable<?> declaration(CtExecutableReference<?> ref) {
        return (CtExecutable<?>) resolve(ref.getFactory(), "declaration", ref, () -> {
            spoon.reflect.declaration.CtType<?> owner = sourceType(ref.getDeclaringType());
            if (owner != null) {
                String signature = null;
                for (spoon.reflect.declaration.CtTypeMember m : owner.getTypeMembers()) {
                    if (m instanceof CtExecutable<?> x && m.getSimpleName().equals(ref.getSimpleName())) {
                        signature = signature == null ? ref.getSignature() : signature;
                        if (x.getSignature().equals(signature)) {
                            return x;
                        }
                    }
                }
            }
            return ref.getExecutableDeclaration();
        });
    }

    /** The declaration a field reference points to, or null; as {@link #declaration(CtExecutableReference)}. */
    public static CtField<?> declaration(CtFieldReference<?> ref) {
        return (CtField<?>) resolve(ref.getFactory(), "declaration", ref, () -> {
            spoon.reflect.declaration.CtType<?> owner = sourceType(ref.getDeclaringType());
            CtField<?> f = owner == null ? null : owner.getField(ref.getSimpleName());
            return f != null ? f : ref.getFieldDeclaration();
        });
    }

    /**
     * The declaration of a type: one of the sources' own (top-level or nested) by its qualified name,
     * else as Spoon resolves it (for a nested type Spoon scans the whole enclosing type, bodies and
     * all, on every call), or null.
     */
    public static spoon.reflect.declaration.CtType<?> type(spoon.reflect.reference.CtTypeReference<?> ref) {
        if (ref == null) {
            return null;
        }
        spoon.reflect.declaration.CtType<?> t = sourceType(ref);
        return t != null ? t : (spoon.reflect.declaration.CtType<?>) resolve(ref.getFactory(), "type", ref,
                ref::getTypeDeclaration);
    }

    /** The type of the sources with {@code ref}'s qualified name, or null. */
    private static spoon.reflect.declaration.CtType<?> sourceType(spoon.reflect.reference.CtTypeReference<?> ref) {
        if (ref == null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        java.util.Map<String, spoon.reflect.declaration.CtType<?>> index =
                (java.util.Map<String, spoon.reflect.declaration.CtType<?>>) resolve(ref.getFactory(), "typeIndex",
                        ref.getFactory(), () -> {
                            java.util.Map<String, spoon.reflect.declaration.CtType<?>> byName = new java.util.HashMap<>();
                            java.util.Deque<spoon.reflect.declaration.CtType<?>> work =
                                    new java.util.ArrayDeque<>(ref.getFactory().getModel().getAllTypes());
                            while (!work.isEmpty()) {
                                spoon.reflect.declaration.CtType<?> t = work.poll();
                                byName.putIfAbsent(t.getQualifiedName(), t);
                                work.addAll(t.getNestedTypes());
                            }
                            return byName;
                        });
        return index.get(ref.getQualifiedName());
    }

    /**
     * The elements of {@code kind} in {@code root} and below it, root first, in the order of Spoon's
     * scanner: what {@code getElements(new TypeFilter<>(kind))} gives, without the query machinery,
     * which looks up its filter's method by reflection for every element it tests.
     */
    public static <T extends CtElement> java.util.List<T> elements(CtElement root, Class<? super T> kind) {
        if (!(root instanceof CtExecutable<?>)) {
            return scan(root, kind);
        }
        // a method's or lambda's elements of a kind are asked for again and again (which helpers it
        // calls, which fields it touches): its elements are scanned once, and each kind is picked
        // from them once. Scanning only reads the model, so it needs no lock
        return picked(root.getFactory(), root, kind, () -> scan(root, CtElement.class));
    }

    /** The elements of {@code kind} in {@code scope}, picked once from all of them (scanned once). */
    @SuppressWarnings("unchecked")
    private static <T extends CtElement> java.util.List<T> picked(Factory factory, Object scope, Class<? super T> kind,
            java.util.function.Supplier<java.util.List<CtElement>> scanAll) {
        java.util.concurrent.ConcurrentHashMap<Identity, Object> memo = memo(factory);
        Identity id = new Identity("elements:" + kind.getName(), scope);
        Object v = memo.get(id);
        if (v == null) {
            Identity allId = new Identity("elements", scope);
            Scanned all = (Scanned) memo.get(allId);
            if (all == null) {
                Scanned mine = new Scanned(scanAll.get());
                all = (Scanned) memo.putIfAbsent(allId, mine);
                all = all == null ? mine : all;
            }
            Object mine = all.pick(kind);
            v = memo.putIfAbsent(id, mine);
            v = v == null ? mine : v;
        }
        return (java.util.List<T>) v;
    }

    /**
     * The elements of a scope in scanning order, with where the elements of each class are: a
     * kind is picked by testing each class once (testing each element against an interface walks
     * its class's supertypes, and Spoon's classes have many).
     */
    private static final class Scanned {
        private final java.util.List<CtElement> all;
        private final java.util.Map<Class<?>, int[]> byClass = new java.util.LinkedHashMap<>();

        Scanned(java.util.List<CtElement> all) {
            this.all = all;
            java.util.Map<Class<?>, java.util.List<Integer>> at = new java.util.LinkedHashMap<>();
            for (int i = 0; i < all.size(); i++) {
                at.computeIfAbsent(all.get(i).getClass(), k -> new java.util.ArrayList<>()).add(i);
            }
            at.forEach((c, is) -> byClass.put(c, is.stream().mapToInt(Integer::intValue).toArray()));
        }

        java.util.List<CtElement> pick(Class<?> kind) {
            java.util.List<int[]> matching = new java.util.ArrayList<>();
            int n = 0;
            for (java.util.Map.Entry<Class<?>, int[]> e : byClass.entrySet()) {
                if (kind.isAssignableFrom(e.getKey())) {
                    matching.add(e.getValue());
                    n += e.getValue().length;
                }
            }
            int[] picked = new int[n];
            int k = 0;
            for (int[] is : matching) {
                System.arraycopy(is, 0, picked, k, is.length);
                k += is.length;
            }
            if (matching.size() > 1) {
                java.util.Arrays.sort(picked);
            }
            CtElement[] out = new CtElement[n];
            for (int i = 0; i < n; i++) {
                out[i] = all.get(picked[i]);
            }
            return java.util.List.of(out);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends CtElement> java.util.List<T> scan(CtElement root, Class<? super T> kind) {
        java.util.List<T> out = new java.util.ArrayList<>();
        new spoon.reflect.visitor.CtScanner() {
            @Override
            public void scan(CtElement e) {
                if (e != null) {
                    if (kind.isInstance(e)) {
                        out.add((T) e);
                    }
                    super.scan(e);
                }
            }
        }.scan(root);
        return out;
    }

    /**
     * The elements of {@code kind} in the whole model, in the order of Spoon's query over its
     * modules ({@code model.getElements(new TypeFilter<>(kind))}). The model is scanned once, the
     * first time any kind is asked for (the types Spoon adds later, as it resolves references to
     * the class path, are not among them), and each kind is picked from the scan once.
     */
    public static <T extends CtElement> java.util.List<T> elements(spoon.reflect.CtModel model, Class<? super T> kind) {
        return picked(model.getUnnamedModule().getFactory(), model, kind, () -> {
            java.util.List<CtElement> all = new java.util.ArrayList<>();
            for (spoon.reflect.declaration.CtModule module : model.getAllModules()) {
                all.addAll(scan(module, CtElement.class));
            }
            return all;
        });
    }

    /**
     * The declaration of a variable reference: for a local, the declaration in a block, a for
     * statement's init or a resource list that the reference follows, found by walking up from it
     * (Spoon's own lookup runs a query over the enclosing scopes); for a field, as {@link
     * #declaration(CtFieldReference)}; otherwise Spoon's answer.
     */
    public static spoon.reflect.declaration.CtVariable<?> variable(spoon.reflect.reference.CtVariableReference<?> ref) {
        if (ref instanceof CtFieldReference<?> f) {
            return declaration(f);
        }
        if (ref instanceof spoon.reflect.reference.CtLocalVariableReference<?> local) {
            spoon.reflect.code.CtLocalVariable<?> l = enclosingLocal(local);
            if (l != null) {
                return l;
            }
        }
        return ref.getDeclaration();
    }

    private static spoon.reflect.code.CtLocalVariable<?> enclosingLocal(spoon.reflect.reference.CtLocalVariableReference<?> ref) {
        String name = ref.getSimpleName();
        CtElement child = ref;
        while (child.isParentInitialized() && !(child instanceof spoon.reflect.declaration.CtType<?>)) {
            CtElement parent = child.getParent();
            java.util.List<? extends CtElement> scope = parent instanceof spoon.reflect.code.CtStatementList sl
                    ? sl.getStatements()
                    : parent instanceof spoon.reflect.code.CtFor f ? f.getForInit()
                    : parent instanceof spoon.reflect.code.CtTryWithResource t ? t.getResources()
                    : parent instanceof spoon.reflect.code.CtForEach fe ? java.util.List.of(fe.getVariable())
                    : java.util.List.of();
            spoon.reflect.code.CtLocalVariable<?> found = null;
            for (CtElement s : scope) {
                if (s == child) {
                    break;
                }
                if (s instanceof spoon.reflect.code.CtLocalVariable<?> l && l.getSimpleName().equals(name)) {
                    found = l;
                }
            }
            if (found != null) {
                return found;
            }
            child = parent;
        }
        return null;
    }

    /** Whether a local is assigned after its declaration (its initializer then does not say what it holds). */
    public static boolean localAssigned(spoon.reflect.code.CtLocalVariable<?> l) {
        return (Boolean) memo(l.getFactory(), "localAssigned", l, () -> {
            spoon.reflect.declaration.CtExecutable<?> m = l.getParent(spoon.reflect.declaration.CtExecutable.class);
            if (m == null) {
                return true;
            }
            for (spoon.reflect.code.CtVariableWrite<?> w : elements(m, spoon.reflect.code.CtVariableWrite.class)) {
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
        // asked on every memo lookup: the last model's memory is remembered (weakly, not to keep it alive)
        Last last = lastMemo;
        if (last != null && last.factory.get() == factory) {
            java.util.concurrent.ConcurrentHashMap<Identity, Object> m = last.memo.get();
            if (m != null) {
                return m;
            }
        }
        spoon.reflect.declaration.CtPackage root = factory.getModel().getRootPackage();
        synchronized (root) {
            Object m = root.getMetadata(MEMO);
            if (m == null) {
                m = new java.util.concurrent.ConcurrentHashMap<Identity, Object>();
                root.putMetadata(MEMO, m);
            }
            java.util.concurrent.ConcurrentHashMap<Identity, Object> memo = (java.util.concurrent.ConcurrentHashMap<Identity, Object>) m;
            lastMemo = new Last(new java.lang.ref.WeakReference<>(factory), new java.lang.ref.WeakReference<>(memo));
            return memo;
        }
    }

    /** A model's factory and its memory; the memory lives as long as the model does. */
    private record Last(java.lang.ref.WeakReference<Factory> factory,
            java.lang.ref.WeakReference<java.util.concurrent.ConcurrentHashMap<Identity, Object>> memo) {
    }

    private static volatile Last lastMemo;

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
