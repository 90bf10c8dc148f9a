package dev.dpccheck.analyzer.spi;

/** A rule: it looks at the analysis and reports what it finds. Implementations carry {@link RuleInfo}. */
public interface Rule {
    /** Reports this rule's findings in {@code analysis} to {@code reporter}. */
    void check(Analysis analysis, Reporter reporter);

    /** The rule's metadata. */
    default RuleInfo info() {
        RuleInfo info = getClass().getAnnotation(RuleInfo.class);
        if (info == null) {
            throw new IllegalStateException(getClass().getName() + " has no @RuleInfo");
        }
        return info;
    }
}
