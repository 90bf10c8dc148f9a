package dev.dpccheck.wdm;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated parameter is an IRQL previously saved by an {@link IrqlSaves} routine and the
 * routine returns at that IRQL: SAL's {@code _IRQL_restores_}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER})
public @interface IrqlRestores {

}
