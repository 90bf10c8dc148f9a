package dev.dpccheck.wdm;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The routine must be called at or above the given IRQL: SAL's {@code _IRQL_requires_min_}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD})
public @interface IrqlRequiresMin {
    /** The lowest IRQL at which the routine may be called. */
    int value();
}
