package dev.dpccheck.analyzer.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Threads with a stack deep enough for deeply nested code. JavaParser, Spoon's JDT front end and
 * its scanners recurse once per level of nesting; on the default stack (1 MiB) 850 nested
 * {@code if}s overflow it. A large stack is reserved address space, committed only as deep code
 * uses it.
 */
public final class LargeStack {
    /** The stack of every analysis thread. */
    public static final long STACK_BYTES = 512L << 20;

    private LargeStack() {
    }

    /** A pool of {@code threads} daemon threads with a large stack, named {@code name}. */
    public static ExecutorService pool(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(null, r, name + "-" + n.incrementAndGet(), STACK_BYTES);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code task} on a thread with a large stack and waits for it; its failure is rethrown as is. */
    public static <T> T call(String name, Callable<T> task) throws Exception {
        ExecutorService pool = pool(name, 1);
        try {
            return get(pool.submit(task));
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code f} of every item, in order, computed on up to one large-stack thread per processor. */
    public static <A, B> List<B> map(String name, List<A> items, Function<A, B> f) throws Exception {
        if (items.size() <= 1) {
            List<B> out = new ArrayList<>();
            for (A a : items) {
                out.add(f.apply(a));
            }
            return out;
        }
        ExecutorService pool = pool(name, Math.min(items.size(), Runtime.getRuntime().availableProcessors()));
        try {
            List<Future<B>> futures = new ArrayList<>();
            for (A a : items) {
                futures.add(pool.submit(() -> f.apply(a)));
            }
            List<B> out = new ArrayList<>();
            for (Future<B> b : futures) {
                out.add(get(b));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The future's value; its task's exception or error as thrown. */
    public static <T> T get(Future<T> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            if (e.getCause() instanceof Error x) {
                throw x;
            }
            throw e;
        }
    }
}
