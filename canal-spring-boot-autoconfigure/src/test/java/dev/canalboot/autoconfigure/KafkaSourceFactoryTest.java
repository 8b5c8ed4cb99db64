package dev.canalboot.autoconfigure;

import dev.canalboot.autoconfigure.SourceProperties.SourceType;
import dev.canalboot.kafka.KafkaChangeSource;
import dev.canalboot.kafka.KafkaSourceSettings;
import dev.canalboot.kafka.MessageFormat;
import dev.canalboot.model.ZeroDatePolicy;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How a Kafka source's consumer configuration is made: Spring Boot's consumer properties, the source's
 * {@code kafka} group on top, its SSL bundle; and the errors for a source without brokers or group.
 */
class KafkaSourceFactoryTest {

    private static SourceProperties kafka() {
        SourceProperties source = new SourceProperties();
        source.setType(SourceType.KAFKA);
        source.getKafka().setTopics(new ArrayList<>(List.of("cdc")));
        return source;
    }

    private static CanalProperties named(String name, SourceProperties source) {
        CanalProperties properties = new CanalProperties();
        properties.getSources().put(name, source);
        return properties;
    }

    private static KafkaSourceSettings settings(SourceProperties source, Map<String, Object> boot) {
        return KafkaSourceFactory.settings("orders", source, named("orders", source), boot, new DefaultSslBundleRegistry());
    }

    @Test
    void theSourcesKeysGoOverSpringBootsConsumerProperties() {
        SourceProperties source = kafka();
        source.getKafka().setBootstrapServers(List.of(" k1:9092", "k2:9092 "));
        source.getKafka().setGroupId(" billing ");
        source.getKafka().setProperties(Map.of("max.poll.records", "50", "client.id", "mine"));

        KafkaSourceSettings settings = settings(source, Map.of("bootstrap.servers", "boot:9092", "group.id", "boot-group",
                "client.id", "boot", "fetch.min.bytes", "1"));

        assertThat(settings.consumerProperties())
                .containsEntry("bootstrap.servers", "k1:9092,k2:9092")
                .containsEntry("group.id", "billing")
                .containsEntry("client.id", "mine")
                .containsEntry("max.poll.records", "50")
                .containsEntry("fetch.min.bytes", "1");
        assertThat(settings.name()).isEqualTo("orders");
    }

    @Test
    void springBootsBrokersAndGroupServeWhenTheSourceNamesNone() {
        KafkaSourceSettings settings = settings(kafka(), Map.of("bootstrap.servers", List.of("boot:9092"),
                "group.id", "boot-group"));

        assertThat(settings.consumerProperties()).containsEntry("bootstrap.servers", List.of("boot:9092"))
                .containsEntry("group.id", "boot-group");
        assertThat(settings.servers()).isEqualTo("boot:9092");
    }

    @Test
    void withoutBrokersTheSourceFailsNamingItsBrokersProperty() {
        SourceProperties source = kafka();
        source.getKafka().setGroupId("billing");

        assertThatThrownBy(() -> settings(source, Map.of()))
                .isInstanceOfSatisfying(InvalidCanalConfigurationException.class, e -> {
                    assertThat(e.getProperty()).isEqualTo("canal.sources.orders.kafka.bootstrap-servers");
                    assertThat(e.getProblem()).contains("'orders'").contains("no brokers");
                    assertThat(e.getAction()).contains("spring.kafka.bootstrap-servers");
                });
    }

    @Test
    void withoutAGroupOrWithABlankOneTheSourceFailsNamingItsGroupProperty() {
        SourceProperties source = kafka();
        source.getKafka().setBootstrapServers(List.of("k1:9092"));
        source.getKafka().setGroupId("  ");

        for (Map<String, Object> boot : List.<Map<String, Object>>of(Map.of(), Map.of("group.id", " "))) {
            assertThatThrownBy(() -> settings(source, boot))
                    .isInstanceOfSatisfying(InvalidCanalConfigurationException.class, e -> {
                        assertThat(e.getProperty()).isEqualTo("canal.sources.orders.kafka.group-id");
                        assertThat(e.getProblem()).contains("no consumer group");
                    });
        }
    }

    @Test
    void blankTopicsAreDroppedAndTheRestTrimmed() {
        SourceProperties source = kafka();
        source.getKafka().setBootstrapServers(List.of("k1:9092"));
        source.getKafka().setGroupId("g");
        source.getKafka().setTopics(new ArrayList<>(List.of(" a ", "", "  ", "b")));

        assertThat(settings(source, Map.of()).topics()).containsExactly("a", "b");
    }

    @Test
    void theRestOfTheSettingsComeFromTheSourceAndTheCanalProperties() {
        SourceProperties source = kafka();
        source.getKafka().setBootstrapServers(List.of("k1:9092"));
        source.getKafka().setGroupId("g");
        source.getKafka().setFormat(MessageFormat.PROTOBUF);
        source.getKafka().setCheckInterval(Duration.ofSeconds(2));
        source.setServerTimeZone(ZoneId.of("Asia/Shanghai"));
        source.setConnectTimeout(Duration.ofSeconds(4));
        source.getReconnect().setInitialInterval(Duration.ofMillis(300));
        source.getReconnect().setMaxInterval(Duration.ofSeconds(9));
        source.getReconnect().setMaxAttempts(6);
        CanalProperties properties = named("orders", source);
        properties.setZeroDates(ZeroDatePolicy.ERROR);

        KafkaSourceSettings settings = KafkaSourceFactory.settings("orders", source, properties, Map.of(), null);

        assertThat(settings.format()).isEqualTo(MessageFormat.PROTOBUF);
        assertThat(settings.checkInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.serverZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(settings.reconnectBackoff()).isEqualTo(Duration.ofMillis(300));
        assertThat(settings.maxReconnectBackoff()).isEqualTo(Duration.ofSeconds(9));
        assertThat(settings.maxReconnectAttempts()).isEqualTo(6);
        assertThat(settings.zeroDates()).isEqualTo(ZeroDatePolicy.ERROR);
    }

    @Test
    void zeroReconnectAttemptsMeansKeepTryingAndNoZoneMeansThisJvmsZone() {
        SourceProperties source = kafka();
        source.getKafka().setBootstrapServers(List.of("k1:9092"));
        source.getKafka().setGroupId("g");
        source.getReconnect().setMaxAttempts(0);

        KafkaSourceSettings settings = settings(source, Map.of());

        assertThat(settings.maxReconnectAttempts()).isNegative();
        assertThat(settings.serverZone()).isEqualTo(ZoneId.systemDefault());
    }

    @Test
    void theSourcesSslBundleIsUsedAndSpeaksTlsUnlessATlsProtocolIsSet() {
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();
        SslBundle bundle = SslBundle.of(SslStoreBundle.NONE);
        bundles.registerBundle("kafka-tls", bundle);
        SourceProperties source = kafka();
        source.getKafka().setBootstrapServers(List.of("k1:9092"));
        source.getKafka().setGroupId("g");
        source.getKafka().setSslBundle("kafka-tls");

        Map<String, Object> plain = KafkaSourceFactory.settings("orders", source, named("orders", source), Map.of(),
                bundles).consumerProperties();
        Map<String, Object> sasl = KafkaSourceFactory.settings("orders", source, named("orders", source),
                Map.of("security.protocol", "SASL_SSL"), bundles).consumerProperties();

        assertThat(plain).containsEntry(SslBundle.class.getName(), bundle).containsEntry("security.protocol", "SSL");
        assertThat(sasl).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void anUndefinedSslBundleFailsNamingTheSourcesBundleProperty() {
        SourceProperties source = kafka();
        source.getKafka().setBootstrapServers(List.of("k1:9092"));
        source.getKafka().setGroupId("g");
        source.getKafka().setSslBundle("missing");

        assertThatThrownBy(() -> settings(source, Map.of()))
                .isInstanceOfSatisfying(InvalidCanalConfigurationException.class, e -> {
                    assertThat(e.getProperty()).isEqualTo("canal.sources.orders.kafka.ssl-bundle");
                    assertThat(e.getMessage()).contains("'missing'");
                });
    }

    @Test
    void itMakesKafkaSourcesFromTheSuppliedBootProperties() throws Exception {
        KafkaSourceFactory factory = new KafkaSourceFactory(
                () -> Map.of("bootstrap.servers", "boot:9092", "group.id", "boot-group"), DefaultSslBundleRegistry::new);
        SourceProperties source = kafka();

        assertThat(factory.type()).isEqualTo(SourceType.KAFKA);
        try (KafkaChangeSource created = (KafkaChangeSource) factory.create("orders", source, named("orders", source))) {
            assertThat(created.name()).isEqualTo("orders");
            assertThat(created.settings().consumerProperties()).containsEntry("group.id", "boot-group");
        }
    }
}
