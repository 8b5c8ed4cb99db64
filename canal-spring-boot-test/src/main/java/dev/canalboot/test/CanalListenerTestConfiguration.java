package dev.canalboot.test;

import dev.canalboot.autoconfigure.CanalAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The whole context of a {@link CanalListenerTest} besides the classes the test imports. */
// A plain @Configuration: Spring Boot's test bootstrapper would take a @TestConfiguration as an addition and
// still look for the application's @SpringBootConfiguration.
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration(CanalAutoConfiguration.class)
public class CanalListenerTestConfiguration {

    @Bean
    TestChangeSource canalTestChangeSource() {
        return new TestChangeSource();
    }

    @Bean
    ChangeRecorder canalChangeRecorder() {
        return new ChangeRecorder();
    }
}
