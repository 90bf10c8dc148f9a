package dev.dpccheck.kernel;

import java.util.List;
import java.util.SplittableRandom;

/** Chooses uniformly at random among the options, from one seeded generator. */
public final class RandomWalkStrategy implements SchedulingStrategy {
    private final SplittableRandom random;

    /** A random walk seeded with {@code seed}. */
    public RandomWalkStrategy(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public int choose(List<Option> options) {
        return random.nextInt(options.size());
    }
}
