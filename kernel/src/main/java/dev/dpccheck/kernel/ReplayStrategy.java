package dev.dpccheck.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * Takes the decisions of a recorded schedule again, in order. Where the trace has the label of the
 * chosen option, the decision must offer as many options and the same one at the recorded index;
 * otherwise the run has diverged from the trace (the driver changed, or the trace is from another
 * machine), and the strategy says where and why and the kernel ends the schedule.
 */
final class ReplayStrategy implements SchedulingStrategy {
    private final List<Trace.Choice> recorded;
    private int next;
    private String divergence;

    ReplayStrategy(List<Trace.Choice> recorded) {
        this.recorded = recorded;
    }

    /** The decisions of a schedule as its choice log has them: indices only, nothing to check. */
    static ReplayStrategy of(ChoiceLog log) {
        List<Trace.Choice> out = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            out.add(new Trace.Choice(0, log.chosen(i), log.options(i), null));
        }
        return new ReplayStrategy(out);
    }

    @Override
    public int choose(List<Option> options) {
        if (divergence != null) {
            return 0;
        }
        if (next >= recorded.size()) {
            divergence = "after the trace's last decision (" + recorded.size() + "), the run still has to choose among "
                    + labels(options);
            return 0;
        }
        Trace.Choice c = recorded.get(next++);
        if (c.label() == null) {
            if (c.index() < options.size()) {
                return c.index();
            }
        } else if (c.options() == options.size() && options.get(c.index()).label().equals(c.label())) {
            return c.index();
        }
        divergence = "at decision " + next + " of " + recorded.size() + " (step " + c.step() + " of the recorded run) the"
                + " trace chose '" + c.label() + "' of " + c.options() + " options; the run now offers " + labels(options);
        return 0;
    }

    private static String labels(List<Option> options) {
        StringBuilder sb = new StringBuilder();
        for (Option o : options) {
            sb.append(sb.length() == 0 ? "'" : ", '").append(o.label()).append('\'');
        }
        return sb.toString();
    }

    /** Where the run left the trace, or null while it follows it. */
    String divergence() {
        return divergence;
    }

    /** At the end of the run: a run that ended before the trace's last decision diverged too. */
    String divergenceAtEnd() {
        if (divergence == null && next < recorded.size()) {
            return "the run ended after " + next + " of the trace's " + recorded.size() + " decisions";
        }
        return divergence;
    }
}
