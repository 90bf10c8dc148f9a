package dev.dpccheck.analyzer.findings;

import java.util.Locale;

/** How bad a finding is; the names are SARIF's levels. */
public enum Severity {
    ERROR, WARNING, NOTE;

    /** The SARIF level and the text output's word. */
    public String level() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A failure threshold by name: error, warning or note, or null for never.
     *
     * @throws IllegalArgumentException with the sentence to show, for any other name
     */
    public static Severity threshold(String name) {
        if (name.equals("never")) {
            return null;
        }
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be error, warning, note or never, not '" + name + "'.");
        }
    }

    /** Whether a finding of this severity reaches a {@code --fail-on} threshold. */
    public boolean atLeast(Severity threshold) {
        return ordinal() <= threshold.ordinal();
    }
}
