package dev.dpccheck.wdm;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The routine must be called at or below the given IRQL: SAL's {@code _IRQL_requires_max_}.
 * The analyzer reads it from the model and the kernel checks it on every call.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD})
public @interface IrqlRequiresMax {
    /** The highest IRQL at which the routine may be called. */
    int value();
}
