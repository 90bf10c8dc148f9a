package dev.dpccheck.analyzer.spi;

import dev.dpccheck.analyzer.findings.Severity;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The metadata of a rule, declared on its class; the rule docs are generated from it. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RuleInfo {
    /** The stable id, PascalCase, never renamed or reused. */
    String id();

    /** A title of a few words. */
    String title();

    Severity severity();

    /** One sentence: what is wrong. */
    String summary();

    /** Why it matters and what the WDK requires, in our own words. */
    String rationale();

    /** The WDK page (or SDV rule) the rule enforces, as a URL or a seed page name. */
    String source();

    /** The SDV rule that checks the same, if any. */
    String sdv() default "";

    /** Tags, e.g. {@code irql}, {@code dpc}. */
    String[] tags() default {};

    /** The version that introduced the rule. */
    String since() default "0.1.0";

    /** How often a finding is a real defect: {@code very-high}, {@code high}, {@code medium}, {@code low}. */
    String precision() default "high";

    /**
     * Why the simulated kernel has no runtime monitor for this rule, for a rule that only the
     * analyzer checks; empty for a rule with a monitor in the kernel's verifier catalog (a test
     * keeps the two in step, and the rule documentation says which).
     */
    String staticOnly() default "";
}
