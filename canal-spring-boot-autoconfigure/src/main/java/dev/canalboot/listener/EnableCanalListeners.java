package dev.canalboot.listener;

import org.springframework.context.annotation.Import;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Enables {@link CanalListener} processing (the auto-configuration does this for Spring Boot apps). */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(CanalListenerConfiguration.class)
public @interface EnableCanalListeners {
}
