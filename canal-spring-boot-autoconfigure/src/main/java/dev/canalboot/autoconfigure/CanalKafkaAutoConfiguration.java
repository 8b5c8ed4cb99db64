package dev.canalboot.autoconfigure;

import dev.canalboot.source.ChangeSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Kafka source ({@code type: kafka}): registered when kafka-clients and fastjson2 are on the class path.
 * With spring-boot-kafka too, its consumer configuration ({@code spring.kafka.*}, {@code KafkaConnectionDetails}
 * with its SSL bundle) is the base every Kafka source starts from.
 */
@AutoConfiguration(after = CanalAutoConfiguration.class, afterName = {
        "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(name = {CanalKafkaAutoConfiguration.KAFKA_CONSUMER, CanalKafkaAutoConfiguration.JSON_READER})
@ConditionalOnBooleanProperty(name = "canal.enabled", matchIfMissing = true)
public class CanalKafkaAutoConfiguration {

    /** What the Kafka source needs (kafka-clients): the condition above, and the start-up error without it. */
    static final String KAFKA_CONSUMER = "org.apache.kafka.clients.consumer.KafkaConsumer";
    /** What the Kafka source reads flat messages with (fastjson2): likewise. */
    static final String JSON_READER = "com.alibaba.fastjson2.JSONReader";

    /** Spring Boot's consumer properties, supplied when a source is created. */
    @FunctionalInterface
    interface BootKafkaConsumerProperties extends Supplier<Map<String, Object>> {
    }

    /** Creates Kafka sources; a user ChangeSourceFactory of type KAFKA takes precedence. */
    @Bean
    ChangeSourceFactory canalKafkaSourceFactory(ObjectProvider<BootKafkaConsumerProperties> bootProperties,
                                                ObjectProvider<SslBundles> sslBundles) {
        return new KafkaSourceFactory(() -> {
            BootKafkaConsumerProperties boot = bootProperties.getIfAvailable();
            return boot == null ? Map.of() : boot.get();
        }, sslBundles::getIfAvailable);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    @ConditionalOnBooleanProperty(name = "canal.metrics.enabled", matchIfMissing = true)
    static class KafkaMetricsConfiguration {

        @Bean
        @ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
        KafkaSourceMeters canalKafkaSourceMeters(ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry,
                                                 ObjectProvider<ChangeSource> sources) {
            return new KafkaSourceMeters(registry.getObject(), sources);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(KafkaProperties.class)
    static class SpringBootKafkaConfiguration {

        @Bean
        BootKafkaConsumerProperties canalBootKafkaConsumerProperties(ObjectProvider<KafkaProperties> properties,
                                                                     ObjectProvider<KafkaConnectionDetails> details) {
            return () -> {
                KafkaProperties kafka = properties.getIfAvailable();
                Map<String, Object> consumer = new HashMap<>(kafka == null ? Map.of() : kafka.buildConsumerProperties());
                KafkaConnectionDetails connection = details.getIfAvailable();
                if (connection != null) {
                    // As Boot's own consumer factory does: the connection details say where to connect
                    consumer.put("bootstrap.servers", String.join(",", connection.getConsumer().getBootstrapServers()));
                    String protocol = connection.getConsumer().getSecurityProtocol();
                    if (protocol != null) {
                        consumer.put("security.protocol", protocol);
                    }
                    // spring.kafka.ssl.bundle (or spring.kafka.consumer.ssl.bundle), or the details' own bundle
                    KafkaSslBundles.apply(consumer, connection.getConsumer().getSslBundle());
                }
                return consumer;
            };
        }
    }
}
