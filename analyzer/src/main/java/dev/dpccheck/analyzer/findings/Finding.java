package dev.dpccheck.analyzer.findings;

import java.util.Comparator;
import java.util.List;

/**
 * One defect a rule found.
 *
 * @param ruleId the rule's stable id
 * @param severity the rule's severity
 * @param message one factual sentence, WDM names in single quotes
 * @param location where the defect is committed
 * @param witness the static witness path: the steps that lead to the defect, the last one at
 *     {@code location}; may be empty
 * @param suppressed true when {@code @SuppressWarnings("dpccheck:RuleId")} covers the location
 * @param validation what running the driver in the simulated kernel showed of it, or null when it
 *     was not validated
 */
public record Finding(String ruleId, Severity severity, String message, Location location, List<Step> witness,
        boolean suppressed, Validation validation) implements Comparable<Finding> {

    /** A finding of the analyzer, not validated. */
    public Finding(String ruleId, Severity severity, String message, Location location, List<Step> witness,
            boolean suppressed) {
        this(ruleId, severity, message, location, witness, suppressed, null);
    }

    /** One step of a witness path. */
    public record Step(Location location, String message) {
    }

    private static final Comparator<Finding> ORDER = Comparator.comparing(Finding::location)
            .thenComparing(Finding::ruleId).thenComparing(Finding::message);

    @Override
    public int compareTo(Finding o) {
        return ORDER.compare(this, o);
    }

    /** The same finding, suppressed. */
    public Finding suppress() {
        return new Finding(ruleId, severity, message, location, witness, true, validation);
    }

    /** Whether the simulated kernel showed the finding: confirmed, or found by simulation. */
    public boolean demonstrated() {
        return validation != null && (validation.status() == Validation.Status.CONFIRMED
                || validation.status() == Validation.Status.FOUND_BY_SIMULATION);
    }

    /** The same finding, with what validation showed. */
    public Finding validated(Validation v) {
        return new Finding(ruleId, severity, message, location, witness, suppressed, v);
    }
}
