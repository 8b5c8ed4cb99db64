package dev.canalboot.autoconfigure;

import dev.canalboot.listener.container.TablePattern;
import dev.canalboot.listener.container.ContainerSettingsCustomizer;
import dev.canalboot.relay.CanalColumnText;
import dev.canalboot.relay.CanalRelays;
import dev.canalboot.relay.KafkaRelay;
import dev.canalboot.relay.PartitionHash;
import dev.canalboot.relay.RelayEndpoints;
import dev.canalboot.relay.TopicRouter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The relay to Kafka ({@code canal.source.relay.*}, {@code canal.sources.<name>.relay.*}): for every binlog source
 * with {@code relay.enabled}, an idempotent producer ({@code acks=all}) from {@code spring.kafka.*} and the relay's
 * listener endpoints in that source's container. Present only with kafka-clients, Spring Boot's Kafka module and
 * Jackson on the class path.
 */
@AutoConfiguration(after = CanalAutoConfiguration.class,
        afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass({KafkaProducer.class, KafkaProperties.class, ObjectMapper.class})
@ConditionalOnBooleanProperty(name = "canal.enabled", matchIfMissing = true)
public class CanalRelayAutoConfiguration {

    @Bean
    CanalRelays canalRelays(CanalProperties properties, ObjectProvider<KafkaProperties> kafka,
                            ObjectProvider<KafkaConnectionDetails> connection, ObjectProvider<SslBundles> sslBundles,
                            ObjectProvider<CanalHaProperties> ha) {
        List<TablePattern> ownTables = ownTables(properties, ha.getIfAvailable(CanalHaProperties::new));
        Map<String, RelayEndpoints> relays = new LinkedHashMap<>();
        List<KafkaRelay> created = new ArrayList<>();
        ObjectMapper json = JsonMapper.builder().build();
        properties.allSources().forEach((name, source) -> {
            RelayProperties relay = source.getRelay();
            if (!relay.isEnabled()) {
                return;
            }
            String prefix = (name.equals("default") && properties.getSource() == source ? "canal.source"
                    : "canal.sources." + name) + ".relay";
            if (source.effectiveType() != SourceProperties.SourceType.BINLOG) {
                throw new InvalidCanalConfigurationException(prefix + ".enabled",
                        "Source '" + name + "' is a " + source.effectiveType().name().toLowerCase() + " source; only a"
                                + " binlog source can relay to Kafka.",
                        "Remove " + prefix + ".enabled, or make the source a binlog source (host, port, username).");
            }
            TopicRouter topics;
            PartitionHash partitions;
            try {
                topics = new TopicRouter(relay.getTopic() != null ? relay.getTopic() : name, relay.getDynamicTopic());
                partitions = new PartitionHash(relay.getPartitions(), relay.getPartitionHash(), relay.isDatabaseHash());
            } catch (IllegalArgumentException e) {
                throw new InvalidCanalConfigurationException(prefix, e.getMessage() + ".",
                        "Correct " + prefix + ".dynamic-topic, .partitions or .partition-hash (Canal's syntax, see the"
                                + " README's \"Relay to Kafka\").");
            }
            Map<String, Object> config = producerProperties(kafka.getIfAvailable(), connection.getIfAvailable(), relay,
                    sslBundles.getIfAvailable(), prefix);
            KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                    new ByteArraySerializer());
            ZoneId zone = relay.getTimeZone() != null ? relay.getTimeZone() : ZoneId.systemDefault();
            KafkaRelay kafkaRelay = new KafkaRelay(name, producer, relay.getFormat(), json, new CanalColumnText(zone),
                    topics, partitions, relay.getSendTimeout());
            created.add(kafkaRelay);
            if (relay.getTables().isEmpty()) {
                throw new InvalidCanalConfigurationException(prefix + ".tables", "The relay's table list is empty, so"
                        + " it would publish nothing.", "Remove " + prefix + ".tables (every table), or name tables as"
                        + " schema.table patterns.");
            }
            List<TablePattern> excluded = new ArrayList<>(patterns(relay.getExcludeTables(), prefix + ".exclude-tables"));
            excluded.addAll(ownTables);
            relays.put(name, new RelayEndpoints(kafkaRelay, patterns(relay.getTables(), prefix + ".tables"), excluded));
        });
        return new CanalRelays(relays, created);
    }

    private static List<TablePattern> patterns(List<String> texts, String key) {
        List<TablePattern> patterns = new ArrayList<>();
        for (String text : texts) {
            try {
                patterns.add(TablePattern.parse(text));
            } catch (IllegalArgumentException e) {
                throw new InvalidCanalConfigurationException(key, "Invalid table pattern: " + e.getMessage() + ".",
                        "Write schema.table with * wildcards (e.g. shop.*), or regex: followed by a Java regex.");
            }
        }
        return patterns;
    }

    /**
     * This starter's own state tables, whose rows change with every checkpoint and lease renewal when they live
     * on the relayed server: never relayed. Unqualified names match in any schema.
     */
    static List<TablePattern> ownTables(CanalProperties properties, CanalHaProperties ha) {
        String prefix = ha.getJdbc().getTablePrefix();
        return List.of(qualified(properties.getCheckpoint().getJdbc().getTable()), qualified(prefix + "LOCK"),
                qualified(prefix + "EPOCH"));
    }

    private static TablePattern qualified(String table) {
        return TablePattern.parse(table.indexOf('.') >= 0 ? table : "*." + table);
    }

    /** Relayed sources' containers: relay failures stop them with the batch rolled back; listeners run serially. */
    @Bean
    ContainerSettingsCustomizer canalRelayContainerSettings(CanalRelays relays) {
        return (source, settings) -> {
            RelayEndpoints relay = relays.relay(source);
            if (relay == null) {
                return settings;
            }
            try {
                return relay.settings(settings);
            } catch (IllegalArgumentException e) {
                throw new InvalidCanalConfigurationException("canal.listener.concurrency",
                        "Source '" + source + "' relays to Kafka, which keeps binlog order, but its listeners run with"
                                + " concurrency above 1.",
                        "Set the source's concurrency (canal.sources." + source + ".concurrency or "
                                + "canal.source.concurrency) to 1.");
            }
        };
    }

    /**
     * spring.kafka.producer.*, the connection details' servers, security protocol and SSL bundle, the relay's own
     * properties and SSL bundle, then what at-least-once needs.
     */
    static Map<String, Object> producerProperties(KafkaProperties kafka, KafkaConnectionDetails connection,
                                                  RelayProperties relay, SslBundles sslBundles, String prefix) {
        Map<String, Object> config = new HashMap<>(kafka != null ? kafka.buildProducerProperties() : Map.of());
        if (connection != null) {
            // As Boot's own producer factory does: servers, security protocol and SSL bundle of the details
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",",
                    connection.getProducer().getBootstrapServers()));
            String protocol = connection.getProducer().getSecurityProtocol();
            if (protocol != null) {
                config.put("security.protocol", protocol);
            }
            KafkaSslBundles.apply(config, connection.getProducer().getSslBundle());
        }
        config.putAll(relay.getProducer());
        KafkaSslBundles.applyNamed(config, relay.getSslBundle(), sslBundles, prefix + ".ssl-bundle");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        config.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        config.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        return config;
    }
}
