package dev.dpccheck.wdm;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated out-parameter receives the IRQL the caller ran at before the routine raised it:
 * SAL's {@code _IRQL_saves_}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER})
public @interface IrqlSaves {

}
