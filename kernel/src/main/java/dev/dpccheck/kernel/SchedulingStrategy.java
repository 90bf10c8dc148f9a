package dev.dpccheck.kernel;

import java.util.List;

/**
 * Makes the scheduling decisions of one schedule: which option runs next (a processor's context
 * goes on, a DPC or ISR starts, a thread is dispatched or preempted, a timed event happens), and
 * on which processor a timer's DPC is queued. The kernel asks it only where there are at least two
 * options, and records the answers, so that the same strategy state gives the same schedule. The
 * workload and the devices' faults do not come from here: they have seeded streams of their own, so
 * that two strategies run the same workload.
 */
public interface SchedulingStrategy {
    /**
     * Chooses one of the options.
     *
     * @param options at least two, in a stable order: by processor, then the timed events
     * @return an index into {@code options}
     */
    int choose(List<Option> options);
}
