package dev.dpccheck.wdm;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A maximum IRQL that applies only when one argument meets a condition: SAL's
 * {@code _When_(condition, _IRQL_requires_max_(value))}. For example KeWaitForSingleObject
 * needs APC_LEVEL or below unless its timeout is zero. The kernel evaluates the condition on the
 * actual argument; the analyzer on the values the argument can have at the call.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(IrqlRequiresMaxWhen.List.class)
public @interface IrqlRequiresMaxWhen {
    /** The highest IRQL at which the routine may be called when the condition holds. */
    int value();

    /** The name of the parameter the condition reads. */
    String param();

    /** The condition on that parameter. */
    Condition when();

    /** The operand of {@link Condition#EQUALS}. */
    long operand() default 0;

    /** Conditions a {@code _When_} clause of the WDK headers uses. */
    enum Condition {
        /** A boolean argument is true. */
        TRUE,
        /** A numeric argument equals {@link IrqlRequiresMaxWhen#operand()}. */
        EQUALS,
        /** A timeout argument is null (wait forever) or not zero. */
        NULL_OR_NONZERO
    }

    /** Container of repeated {@link IrqlRequiresMaxWhen}. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        /** The repeated annotations. */
        IrqlRequiresMaxWhen[] value();
    }
}
