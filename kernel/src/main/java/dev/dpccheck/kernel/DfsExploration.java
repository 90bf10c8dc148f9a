package dev.dpccheck.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A depth-first search of the schedules with at most a given number of preemptions (Musuvathi and
 * Qadeer, PLDI 2007), without state: each schedule replays the decisions of the last up to the
 * deepest decision that has an alternative left, takes that alternative, and from there lets the
 * actor of the last decision go on where it can (a preemption is choosing another when it could).
 * At each decision the options are ranked: first the one that lets the last actor go on (or the
 * first option, when it cannot), then the others in their order; a schedule is the list of ranks
 * it took. The search ends when no decision of the last schedule has an alternative within the
 * bound.
 */
final class DfsExploration extends Exploration {
    private final int bound;
    private int[] prefix = new int[0];
    private boolean exhausted;
    private Strategy current;

    DfsExploration(int bound) {
        this.bound = bound;
    }

    @Override
    public String name() {
        return "dfs:" + bound;
    }

    @Override
    boolean systematic() {
        return true;
    }

    @Override
    SchedulingStrategy next(long seed) {
        if (exhausted) {
            return null;
        }
        current = new Strategy(prefix);
        return current;
    }

    @Override
    void finished(int decisions) {
        Strategy s = current;
        for (int j = s.ranks.size() - 1; j >= 0; j--) {
            int next = s.ranks.get(j) + 1;
            if (next >= s.options.get(j)) {
                continue;
            }
            // every rank but the first preempts when the last actor could go on
            if (s.canContinue.get(j) && s.used.get(j) + 1 > bound) {
                continue;
            }
            prefix = new int[j + 1];
            for (int i = 0; i < j; i++) {
                prefix[i] = s.ranks.get(i);
            }
            prefix[j] = next;
            return;
        }
        exhausted = true;
    }

    /** One schedule of the search. */
    private final class Strategy implements SchedulingStrategy {
        private final int[] replay;
        final List<Integer> ranks = new ArrayList<>();
        final List<Integer> options = new ArrayList<>();
        final List<Boolean> canContinue = new ArrayList<>();
        /** The preemptions before each decision. */
        final List<Integer> used = new ArrayList<>();
        private String last;
        private int preemptions;

        Strategy(int[] replay) {
            this.replay = Arrays.copyOf(replay, replay.length);
        }

        @Override
        public int choose(List<Option> opts) {
            int n = opts.size();
            int first = -1;
            for (int i = 0; i < n && first < 0; i++) {
                if (opts.get(i).actor().equals(last) && opts.get(i).kind() == Option.Kind.RESUME) {
                    first = i;
                }
            }
            boolean continues = first >= 0;
            if (first < 0) {
                first = 0;
            }
            int d = ranks.size();
            int rank = d < replay.length ? Math.min(replay[d], n - 1) : 0;
            int index = rank == 0 ? first : rank <= first ? rank - 1 : rank;
            ranks.add(rank);
            options.add(n);
            canContinue.add(continues);
            used.add(preemptions);
            if (continues && rank > 0) {
                preemptions++;
            }
            last = opts.get(index).actor();
            return index;
        }
    }
}
