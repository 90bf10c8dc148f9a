package dev.dpccheck.kernel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Partial order sampling (Yuan, Yang and Gu, CAV 2018). Every pending event (an option, named by
 * its label: an actor and its next operation) gets a random priority when it is first offered and
 * keeps it while it waits; the event with the highest priority runs. When it has run, the waiting
 * events that race with it (the same field or array element, the same lock, the same device's
 * registers, one of the two writing) get new priorities: this samples the orderings of racing
 * events far more evenly than a random walk, which favours those reached by many paths.
 *
 * <p>Directed (a search with a {@link Goal}), only races where one of the two events is {@link
 * Option#focused focused} re-draw priorities: the orderings sampled are those around the goal's
 * lines, while the rest of the schedule keeps the priorities its events first drew.
 */
final class PosStrategy implements SchedulingStrategy {
    private final SplittableRandom random;
    private Map<String, Double> priority = new HashMap<>();
    private final boolean directed;

    PosStrategy(long seed, boolean directed) {
        random = new SplittableRandom(seed);
        this.directed = directed;
    }

    @Override
    public int choose(List<Option> options) {
        int n = options.size();
        String[] labels = new String[n];
        Map<String, Double> now = new HashMap<>();
        int best = 0;
        double top = -1;
        for (int i = 0; i < n; i++) {
            labels[i] = options.get(i).label();
            Double p = priority.get(labels[i]);
            if (p == null) {
                p = random.nextDouble();
            }
            now.put(labels[i], p);
            if (p > top) {
                top = p;
                best = i;
            }
        }
        // events no longer offered are forgotten: a context that comes back offers a new event
        priority = now;
        Option chosen = options.get(best);
        priority.remove(labels[best]);
        String target = chosen.target();
        if (target != null) {
            boolean chosenFocused = directed && chosen.focused();
            for (int i = 0; i < n; i++) {
                Option o = options.get(i);
                if (i != best && target.equals(o.target()) && (chosen.writes() || o.writes())
                        && (!directed || chosenFocused || o.focused())) {
                    priority.remove(labels[i]);
                }
            }
        }
        return best;
    }
}
