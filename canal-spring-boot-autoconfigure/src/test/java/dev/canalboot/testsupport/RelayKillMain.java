package dev.canalboot.testsupport;

import dev.canalboot.autoconfigure.CanalAutoConfiguration;
import dev.canalboot.autoconfigure.CanalHaAutoConfiguration;
import dev.canalboot.autoconfigure.CanalRelayAutoConfiguration;
import dev.canalboot.listener.CanalListenerEndpointRegistry;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * The relaying application the relay's kill tests ({@code RelayKillIT}, {@code RelayHaIT}) kill with SIGKILL:
 * a binlog source relaying to Kafka, until killed. Configured by command-line properties (the source and its relay
 * from {@link RelayFixture#relayingSourceArguments}, the checkpoint store, and {@code ha.*} with a DataSource when
 * {@code test.jdbc-url} is given). Prints {@code STARTED} once the application
 * runs and {@code READY} once the source's container runs (a standby under high availability never prints it).
 */
public final class RelayKillMain {

    public static void main(String[] args) throws Exception {
        ConfigurableApplicationContext context = start(args);
        System.out.println("STARTED");
        // Under high availability the container starts once this instance is elected, maybe never
        var container = context.getBean(CanalListenerEndpointRegistry.class).getListenerContainer("default");
        while (!container.awaitStarted(Duration.ofSeconds(1))) {
            Thread.sleep(50);
        }
        System.out.println("READY");
        Thread.currentThread().join(); // keeps the JVM alive whatever the container's threads do
    }

    /** The relaying application, in this JVM. */
    public static ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("logging.level.root=WARN").run(args);
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({CanalAutoConfiguration.class, CanalHaAutoConfiguration.class,
            CanalRelayAutoConfiguration.class})
    @EnableConfigurationProperties(KafkaProperties.class)
    static class App {

        @Bean
        @ConditionalOnProperty("test.jdbc-url")
        DataSource dataSource(Environment env) {
            return new DriverManagerDataSource(env.getRequiredProperty("test.jdbc-url"),
                    env.getRequiredProperty("test.jdbc-user"), env.getRequiredProperty("test.jdbc-password"));
        }
    }
}
