package dev.canalboot.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The parameter receives the row as it is after the change (INSERT, UPDATE); {@code null} for a
 * DELETE. Applies to {@code Row}, {@code Map<String, Object>} and POJO parameters.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface AfterImage {
}
