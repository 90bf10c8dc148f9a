package dev.dpccheck.analyzer.findings;

/**
 * What running the driver in the simulated kernel showed of a finding ({@code audit --validate}).
 *
 * @param status what the simulation showed
 * @param reason one phrase: why it was not validated, or how the budget was spent
 * @param schedules the schedules run: until the violation first showed (confirmed), or all of them
 * @param seed the seed of the schedule that showed the violation, or null
 * @param trace the trace file of that schedule, which {@code dpccheck replay} re-runs, or null
 */
public record Validation(Status status, String reason, int schedules, Long seed, String trace) {
    /** The statuses, as reports name them. */
    public enum Status {
        /** The kernel showed a violation of the same rule at the same line. */
        CONFIRMED("confirmed"),
        /** The budget was spent without the violation showing, though the line's method ran. */
        NOT_REPRODUCED("not-reproduced"),
        /** The line never ran under the workload: its method was never entered, or the branch to it never taken. */
        NOT_EXERCISED("not-exercised"),
        /** The driver could not be run: no simulated device binds it, it does not compile, or the run failed. */
        NOT_VALIDATED("not-validated"),
        /** A violation the kernel showed that no static finding predicted. */
        FOUND_BY_SIMULATION("found-by-simulation");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The command that replays the trace, or null without one. */
    public String replayCommand() {
        return trace == null ? null : "dpccheck replay " + trace;
    }

    /** The validation as reports carry it (JSON, and SARIF's {@code properties.validation}). */
    public java.util.Map<String, Object> properties() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("status", status.label());
        if (reason != null) {
            m.put("reason", reason);
        }
        m.put("schedules", schedules);
        if (seed != null) {
            m.put("seed", seed);
        }
        if (trace != null) {
            m.put("trace", trace);
            m.put("replay", replayCommand());
        }
        return m;
    }

    /** The status in words, as the text report prints it after a finding. */
    public String describe() {
        StringBuilder sb = new StringBuilder(status.label());
        if (status == Status.CONFIRMED || status == Status.FOUND_BY_SIMULATION) {
            sb.append(" after ").append(schedules).append(schedules == 1 ? " schedule" : " schedules");
            if (seed != null) {
                sb.append(" (seed ").append(seed).append(')');
            }
        } else if (reason != null) {
            sb.append(": ").append(reason);
        }
        return sb.toString();
    }
}
