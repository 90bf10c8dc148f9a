package dev.dpccheck.analyzer.findings;

import java.util.Locale;

/** How bad a finding is; the names are SARIF's levels. */
public enum Severity {
    ERROR, WARNING, NOTE;

    /** The SARIF level and the text output's word. */
    public String level() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a finding of this severity reaches a {@code --fail-on} threshold. */
    public boolean atLeast(Severity threshold) {
        return ordinal() <= threshold.ordinal();
    }
}
