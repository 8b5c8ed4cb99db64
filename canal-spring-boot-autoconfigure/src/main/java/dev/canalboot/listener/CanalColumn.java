package dev.canalboot.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The column a POJO field or record component is read from. Without it, a property {@code orderNo} is
 * read from column {@code order_no}, else from {@code orderNo} (names compare case-insensitively).
 * A column named here that the table lacks is an error; an unnamed property without a column keeps its
 * default value.
 */
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CanalColumn {

    /** The column name. */
    String value();
}
