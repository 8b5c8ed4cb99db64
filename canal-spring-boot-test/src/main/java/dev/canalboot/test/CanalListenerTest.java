package dev.canalboot.test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.annotation.AliasFor;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A small test context for listeners, without a server: the listener infrastructure
 * ({@code CanalAutoConfiguration} only), a {@link TestChangeSource} and a {@link ChangeRecorder} as beans, plus
 * the classes the test {@code @Import}s (the application's listener beans and what they need). No component
 * scan, no other auto-configuration, no web server; {@code application.yml} and {@code canal.listener.*}
 * properties apply as in production.
 *
 * <pre>{@code
 * @CanalListenerTest(properties = "canal.listener.retry.max-attempts=2")
 * @Import(OrderListener.class)
 * class OrderListenerTest {
 *     @Autowired TestChangeSource source;
 *     @Autowired ChangeRecorder recorder;
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(classes = CanalListenerTestConfiguration.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
public @interface CanalListenerTest {

    /** Properties ({@code key=value}) for the test context, e.g. {@code canal.listener.error-handler=dead-letter}. */
    @AliasFor(annotation = SpringBootTest.class, attribute = "properties")
    String[] properties() default {};
}
