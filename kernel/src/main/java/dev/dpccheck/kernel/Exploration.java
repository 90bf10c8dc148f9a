package dev.dpccheck.kernel;

/**
 * How a run explores schedules: the strategy of each schedule in turn, told how each ended, so that
 * a systematic search (DFS) plans the next from the last and PCT sizes its change points to the
 * runs it has seen. Every strategy is seeded: the same seed gives the same schedules.
 */
public abstract class Exploration {
    /** The strategy of the next schedule, whose seed is {@code seed}; null when nothing is left to explore. */
    abstract SchedulingStrategy next(long seed);

    /** The schedule of the last strategy ended after {@code decisions} decisions. */
    void finished(int decisions) {
    }

    /**
     * Whether the schedules differ only in their decisions (a systematic search, which needs the
     * same workload and faults in every schedule); otherwise each schedule's seed also draws its
     * own workload and faults.
     */
    boolean systematic() {
        return false;
    }

    /**
     * This exploration directed at a {@link Goal}: PCT places its priority changes where the goal
     * looks, POS re-draws priorities only for races around it; a random walk and DFS stay as they
     * are (they have no priorities to place).
     */
    public Exploration directed() {
        return this;
    }

    /**
     * Whether the {@code n}th schedule (from 0) of a directed search is directed: three in four; the
     * fourth is plain, in case the violation needs a change of priority away from the goal.
     */
    static boolean directs(int n) {
        return n % 4 != 3;
    }

    /** The name traces record: {@code random}, {@code pct:3}, {@code pos}, {@code dfs:2}. */
    public abstract String name();

    /** A random walk: each schedule's strategy is seeded with the schedule's seed. */
    public static Exploration random() {
        return new Exploration() {
            @Override
            SchedulingStrategy next(long seed) {
                return new RandomWalkStrategy(seed);
            }

            @Override
            public String name() {
                return "random";
            }
        };
    }

    /** PCT with bug depth {@code depth} (Burckhardt et al., ASPLOS 2010). */
    public static Exploration pct(int depth) {
        return pct(depth, false);
    }

    /**
     * PCT; directed, three schedules in four count only focused decisions (the fourth is plain
     * PCT, in case the violation needs a change elsewhere), until a directed schedule meets no
     * focused decision at all, when the search is plain PCT from then on.
     */
    private static Exploration pct(int depth, boolean directed) {
        return new Exploration() {
            private long longest = PctStrategy.FIRST_ESTIMATE;
            /** The most focused decisions a directed schedule met, or -1 before the first. */
            private long longestFocused = -1;
            private PctStrategy last;
            private int started;

            @Override
            SchedulingStrategy next(long seed) {
                boolean d = directed && directs(started++) && longestFocused != 0;
                last = new PctStrategy(seed, depth, !d ? longest
                        : longestFocused < 0 ? PctStrategy.FIRST_ESTIMATE : longestFocused, d);
                return last;
            }

            @Override
            void finished(int decisions) {
                longest = Math.max(longest, decisions);
                if (last != null && last.directed) {
                    longestFocused = Math.max(longestFocused, last.counted());
                }
            }

            @Override
            public Exploration directed() {
                return directed ? this : Exploration.pct(depth, true);
            }

            @Override
            public String name() {
                return "pct:" + depth + (directed ? " directed" : "");
            }
        };
    }

    /** Partial order sampling (Yuan et al., CAV 2018). */
    public static Exploration pos() {
        return pos(false);
    }

    /**
     * POS; directed, three schedules in four re-draw priorities only for the races around the goal
     * ({@link PosStrategy}), the fourth is plain POS.
     */
    private static Exploration pos(boolean directed) {
        return new Exploration() {
            private int started;

            @Override
            SchedulingStrategy next(long seed) {
                return new PosStrategy(seed, directed && directs(started++));
            }

            @Override
            public Exploration directed() {
                return directed ? this : Exploration.pos(true);
            }

            @Override
            public String name() {
                return directed ? "pos directed" : "pos";
            }
        };
    }

    /** A depth-first search of the schedules with at most {@code bound} preemptions (Musuvathi and Qadeer, PLDI 2007). */
    public static Exploration dfs(int bound) {
        return new DfsExploration(bound);
    }

    /**
     * The exploration a command line names: {@code random}, {@code pct} (depth 2) or {@code
     * pct:D} (D from 1 to 3), {@code pos}, {@code dfs} (2 preemptions) or {@code dfs:B}.
     *
     * @throws IllegalArgumentException with one sentence, for anything else
     */
    public static Exploration of(String spec) {
        String name = spec;
        Integer n = null;
        int colon = spec.indexOf(':');
        if (colon >= 0) {
            name = spec.substring(0, colon);
            try {
                n = Integer.parseInt(spec.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the number after ':' in '" + spec + "' is not a whole number");
            }
        }
        switch (name) {
            case "random":
            case "pos":
                if (n != null) {
                    throw new IllegalArgumentException("'" + name + "' takes no parameter");
                }
                return name.equals("random") ? random() : pos();
            case "pct":
                int depth = n == null ? 2 : n;
                if (depth < 1 || depth > 3) {
                    throw new IllegalArgumentException("PCT's depth must be 1, 2 or 3, not " + depth);
                }
                return pct(depth);
            case "dfs":
                int bound = n == null ? 2 : n;
                if (bound < 0 || bound > 10) {
                    throw new IllegalArgumentException("the DFS's preemption bound must be 0..10, not " + bound);
                }
                return dfs(bound);
            default:
                throw new IllegalArgumentException("'" + spec + "' is not a strategy; use random, pct[:1..3], pos or dfs[:bound]");
        }
    }
}
