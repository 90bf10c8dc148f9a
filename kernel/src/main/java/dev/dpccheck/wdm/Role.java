package dev.dpccheck.wdm;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the function role type of a driver routine, as {@code IO_DPC_ROUTINE MyDpcForIsr;}
 * with {@code _Use_decl_annotations_} does in C: the routine takes on the IRQL contract of the
 * role interface's method. Example: {@code @Role(IoDpcRoutine.class) void DpcForIsr(...)}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Role {
    /** The role-type interface, e.g. {@code IoDpcRoutine.class}. */
    Class<?> value();
}
