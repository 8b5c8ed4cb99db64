package dev.canalboot.autoconfigure;

import dev.canalboot.autoconfigure.SourceProperties.SourceType;
import dev.canalboot.kafka.KafkaChangeSource;
import dev.canalboot.kafka.KafkaSourceSettings;
import dev.canalboot.source.ChangeSource;
import org.springframework.boot.ssl.SslBundles;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Creates {@link KafkaChangeSource}s: the consumer configuration is Spring Boot's ({@code spring.kafka.*} and its
 * {@code KafkaConnectionDetails} with its SSL bundle, when spring-boot-kafka is present), then the source's {@code kafka}
 * group on top (its {@code ssl-bundle} over Spring Boot's TLS).
 * Offsets live in Kafka (the consumer group's committed offsets): no checkpoint store.
 */
class KafkaSourceFactory implements ChangeSourceFactory {

    private final Supplier<Map<String, Object>> bootConsumerProperties;
    private final Supplier<SslBundles> sslBundles;

    /**
     * @param bootConsumerProperties Spring Boot's consumer properties; empty without spring-boot-kafka
     * @param sslBundles             the application's SSL bundles, for a source's own {@code kafka.ssl-bundle}
     */
    KafkaSourceFactory(Supplier<Map<String, Object>> bootConsumerProperties, Supplier<SslBundles> sslBundles) {
        this.bootConsumerProperties = bootConsumerProperties;
        this.sslBundles = sslBundles;
    }

    @Override
    public SourceType type() {
        return SourceType.KAFKA;
    }

    @Override
    public ChangeSource create(String name, SourceProperties source, CanalProperties properties) {
        return new KafkaChangeSource(settings(name, source, properties, bootConsumerProperties.get(), sslBundles.get()));
    }

    static KafkaSourceSettings settings(String name, SourceProperties source, CanalProperties properties,
                                        Map<String, Object> bootConsumerProperties, SslBundles sslBundles) {
        SourceProperties.Kafka kafka = source.getKafka();
        Map<String, Object> consumer = new HashMap<>(bootConsumerProperties);
        if (!kafka.getBootstrapServers().isEmpty()) {
            consumer.put("bootstrap.servers", String.join(",", kafka.getBootstrapServers().stream().map(String::trim).toList()));
        }
        if (kafka.getGroupId() != null && !kafka.getGroupId().isBlank()) {
            consumer.put("group.id", kafka.getGroupId().trim());
        }
        consumer.putAll(kafka.getProperties());
        String prefix = ConfiguredSourcesRegistrar.prefixOf(properties, name);
        KafkaSslBundles.applyNamed(consumer, kafka.getSslBundle(), sslBundles, prefix + ".kafka.ssl-bundle");
        if (consumer.get("bootstrap.servers") == null) {
            throw new InvalidCanalConfigurationException(prefix + ".kafka.bootstrap-servers",
                    "Kafka source '" + name + "' has no brokers to connect to.",
                    "Set spring.kafka.bootstrap-servers (with spring-boot-kafka on the class path) or "
                            + prefix + ".kafka.bootstrap-servers.");
        }
        Object groupId = consumer.get("group.id");
        if (groupId == null || String.valueOf(groupId).isBlank()) {
            throw new InvalidCanalConfigurationException(prefix + ".kafka.group-id",
                    "Kafka source '" + name + "' has no consumer group.",
                    "Set " + prefix + ".kafka.group-id (or spring.kafka.consumer.group-id); instances with the same "
                            + "group share the topics' partitions.");
        }
        if (kafka.getDecodeThreads() < 0) {
            throw new InvalidCanalConfigurationException(prefix + ".kafka.decode-threads",
                    "Kafka source '" + name + "': decode-threads is " + kafka.getDecodeThreads() + ".",
                    "Set " + prefix + ".kafka.decode-threads to 0 (records decoded on the container's thread) or more.");
        }
        List<String> topics = kafka.getTopics().stream().filter(t -> t != null && !t.isBlank()).map(String::trim)
                .toList();
        return KafkaSourceSettings.builder(name)
                .consumerProperties(consumer)
                .topics(topics)
                .format(kafka.getFormat())
                .serverZone(source.getServerTimeZone() != null ? source.getServerTimeZone() : ZoneId.systemDefault())
                .zeroDates(properties.getZeroDates())
                .connectTimeout(source.getConnectTimeout())
                .checkInterval(kafka.getCheckInterval())
                .reconnectBackoff(source.getReconnect().getInitialInterval(), source.getReconnect().getMaxInterval())
                .maxReconnectAttempts(source.getReconnect().effectiveMaxAttempts())
                .decodeThreads(kafka.getDecodeThreads())
                .build();
    }
}
