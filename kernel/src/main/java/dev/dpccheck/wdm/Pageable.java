package dev.dpccheck.wdm;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The code of the annotated method (or of every method of the annotated class) is pageable: the
 * analog of {@code #pragma alloc_text(PAGE, ...)} with {@code PAGED_CODE()}. Running it at
 * DISPATCH_LEVEL or above is a violation, which the kernel checks on entry.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Pageable {

}
