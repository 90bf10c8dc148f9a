package dev.dpccheck.wdm;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The routine returns at the given IRQL, which is at or above the one it was called at:
 * SAL's {@code _IRQL_raises_}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD})
public @interface IrqlRaises {
    /** The IRQL the routine returns at. */
    int value();
}
