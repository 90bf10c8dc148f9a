package dev.dpccheck.kernel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi and Nagarakatte, ASPLOS 2010).
 * Every actor (a thread, a DPC, an ISR, a device, a timer) gets a random priority the first time it
 * is among the options, and the option of the highest-priority actor runs. At {@code depth - 1}
 * decisions chosen at random among the expected number, the actor chosen there drops below every
 * initial priority: a bug of depth {@code d} (an ordering of {@code d} events) is found with
 * probability at least {@code 1/(n k^(d-1))} per schedule, for {@code n} actors and {@code k}
 * decisions. An actor that keeps the choice for {@link #STARVATION} decisions in a row while others
 * are enabled (a driver polling a register that only a lower-priority device can change) drops too,
 * which the strict priorities of the paper would turn into a hang.
 *
 * <p>Directed (a search with a {@link Goal}), it counts only the decisions where some option is
 * {@link Option#focused focused}, and places its changes among those: a change lands where the
 * predicted violation can happen with probability {@code 1/f} for {@code f} such decisions, rather
 * than {@code 1/k} for all of them.
 */
final class PctStrategy implements SchedulingStrategy {
    /** The decisions assumed for the first schedule, before any has been seen. */
    static final long FIRST_ESTIMATE = 2_000;
    /** How many decisions in a row one actor may take while others wait. */
    static final int STARVATION = 5_000;

    private final SplittableRandom random;
    private final long[] changeAt;
    private final Map<String, Long> priority = new HashMap<>();
    /** The priority the next drop gives: below every initial priority, and below every earlier drop. */
    private long low = Integer.MAX_VALUE;
    /** The decisions counted: all of them, or when directed only the focused ones. */
    private long decisions;
    final boolean directed;
    private String last;
    private int run;

    PctStrategy(long seed, int depth, long expectedDecisions, boolean directed) {
        this.directed = directed;
        random = new SplittableRandom(seed);
        changeAt = new long[depth - 1];
        for (int i = 0; i < changeAt.length; i++) {
            changeAt[i] = 1 + random.nextLong(Math.max(1, expectedDecisions));
        }
    }

    @Override
    public int choose(List<Option> options) {
        int best = highest(options);
        if (!directed || options.stream().anyMatch(Option::focused)) {
            decisions++;
            for (long c : changeAt) {
                if (c == decisions) {
                    priority.put(options.get(best).actor(), low--);
                    best = highest(options);
                }
            }
        }
        String actor = options.get(best).actor();
        if (actor.equals(last)) {
            if (++run >= STARVATION) {
                priority.put(actor, low--);
                best = highest(options);
                run = 0;
            }
        } else {
            last = actor;
            run = 0;
        }
        return best;
    }

    /** The decisions counted so far. */
    long counted() {
        return decisions;
    }

    /** The first option of the actor with the highest priority. */
    private int highest(List<Option> options) {
        int best = 0;
        long top = Long.MIN_VALUE;
        for (int i = 0; i < options.size(); i++) {
            long p = priority.computeIfAbsent(options.get(i).actor(),
                    a -> (long) Integer.MAX_VALUE + 1 + random.nextInt(Integer.MAX_VALUE));
            if (p > top) {
                top = p;
                best = i;
            }
        }
        return best;
    }
}
