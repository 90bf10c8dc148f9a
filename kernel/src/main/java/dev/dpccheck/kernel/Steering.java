package dev.dpccheck.kernel;

import java.util.BitSet;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * How a directed schedule bends the workload toward a goal ({@code audit --validate}), where the
 * scheduling alone cannot get there: a finding in a cancel routine needs requests that are
 * cancelled, and cancelled while queued behind another; a finding on the path where an allocation
 * failed needs the allocation to fail there.
 *
 * <ul>
 *   <li>{@code cancelOneIn}: a user thread cancels one in this many of its requests that its driver
 *       left pending ({@link IoManager#CANCEL_ONE_IN} by default).
 *   <li>{@code overlap}: how many requests a user thread keeps in flight, as overlapped I/O does (1
 *       by default: it waits for each before the next). With two, the second is queued behind the
 *       first in a driver that handles one at a time, and a cancellation may find it there.
 *   <li>{@code refuseRate} and {@code refuseIn}: an allocation that may fail (low resources
 *       simulation) fails at this rate when it is made inside one of these methods, rather than at
 *       the fault rate. Only with faults on: a run without faults has none.
 * </ul>
 *
 * A trace records the steering of its schedule ({@link #text}), methods by name, so that a replay
 * bends the workload the same way.
 *
 * @param refuseIn methods as {@code owner/Class.name(descriptor)}, sorted
 */
public record Steering(int cancelOneIn, int overlap, double refuseRate, SortedSet<String> refuseIn) {
    /** The default workload. */
    public static final Steering NONE = new Steering(IoManager.CANCEL_ONE_IN, 1, 0, new TreeSet<>());

    /** The cancellation rate and overlap of a goal in a cancel routine. */
    static final int CANCEL_ONE_IN_STEERED = 2;
    static final int OVERLAP_STEERED = 2;
    /** The rate at which allocations fail inside a goal's methods. */
    static final double REFUSE_RATE_STEERED = 0.25;

    public Steering {
        refuseIn = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(refuseIn));
    }

    /**
     * The steering toward a goal whose lines are in {@code focus}: cancellation and overlap when one
     * of its methods is a cancel routine, and refused allocations inside its methods.
     */
    static Steering toward(DriverImage image, Goal.Focus focus) {
        if (focus == null || focus.isEmpty()) {
            return NONE;
        }
        boolean cancel = image.anyCancelRoutine(focus.methods);
        TreeSet<String> in = new TreeSet<>();
        focus.methods.stream().forEach(id -> in.add(image.methodKey(id)));
        return new Steering(cancel ? CANCEL_ONE_IN_STEERED : NONE.cancelOneIn,
                cancel ? OVERLAP_STEERED : NONE.overlap, in.isEmpty() ? 0 : REFUSE_RATE_STEERED, in);
    }

    boolean isNone() {
        return equals(NONE);
    }

    /** The methods of {@link #refuseIn} by id in {@code image}; names it does not have are left out. */
    BitSet refuseIn(DriverImage image) {
        BitSet ids = new BitSet();
        for (String key : refuseIn) {
            int id = image.methodId(key);
            if (id >= 0) {
                ids.set(id);
            }
        }
        return ids;
    }

    /** The fields of a trace's {@code steering} line. */
    List<Object> text() {
        return List.of(cancelOneIn, overlap, refuseRate, String.join(",", refuseIn));
    }

    /** The steering a trace's {@code steering} line holds ({@code f[0]} is the key). */
    static Steering parse(String[] f) {
        TreeSet<String> in = new TreeSet<>();
        if (f.length > 4 && !f[4].isEmpty()) {
            in.addAll(List.of(f[4].split(",")));
        }
        int cancelOneIn = Integer.parseInt(f[1]);
        int overlap = Integer.parseInt(f[2]);
        double rate = Double.parseDouble(f[3]);
        if (cancelOneIn < 1 || overlap < 1 || !(rate >= 0 && rate <= 1)) {
            throw new NumberFormatException("steering out of range");
        }
        return new Steering(cancelOneIn, overlap, rate, in);
    }
}
