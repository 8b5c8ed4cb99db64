package dev.canalboot.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The parameter receives the row as it was before the change (UPDATE, DELETE); {@code null} for an
 * INSERT. Applies to {@code Row}, {@code Map<String, Object>} and POJO parameters.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BeforeImage {
}
